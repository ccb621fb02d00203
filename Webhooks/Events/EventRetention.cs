using Challenge.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Challenge.Webhooks.Events;

/// <summary>
/// Keeps the log bounded: finished deliveries and events older than <see cref="WebhookOptions.Retention"/> are deleted,
/// a small batch per statement so that no statement holds locks for long, by every instance of the dispatcher (two that
/// purge at once delete different rows, or the same rows once). An event goes only once nothing is left to deliver of
/// it: a delivery still pending keeps its event.
/// </summary>
public sealed partial class EventRetention(Database db, TimeProvider time, IOptions<WebhookOptions> options, JobMetrics metrics,
    ILogger<EventRetention> logger) : PeriodicJob(time, metrics, logger)
{
    private const int BatchSize = 1_000;

    protected override TimeSpan Period => TimeSpan.FromMinutes(10);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var (deliveries, events) = await PurgeAsync(Time.UtcNowMilliseconds() - options.Value.Retention, cancellationToken);
        if (deliveries + events > 0)
        {
            LogPurged(logger, events, deliveries, options.Value.Retention);
        }
    }

    /// <summary>Deletes what is older than <paramref name="before"/>: finished deliveries, then events with no delivery left. How many of each.</summary>
    public async Task<(int Deliveries, int Events)> PurgeAsync(DateTime before, CancellationToken cancellationToken)
    {
        const string finishedDeliveries = $"""
            DELETE FROM webhook_deliveries
            WHERE created_at < @before AND status IN ('{Deliveries.DeliveryStatus.Delivered}', '{Deliveries.DeliveryStatus.Failed}')
            LIMIT @batch
            """;
        const string events = """
            DELETE FROM order_events
            WHERE occurred_at < @before AND fanned_out = TRUE
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = order_events.id)
            LIMIT @batch
            """;
        return (await db.DeleteInBatchesAsync(finishedDeliveries, new { before }, BatchSize, cancellationToken),
            await db.DeleteInBatchesAsync(events, new { before }, BatchSize, cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged {Events} events and {Deliveries} finished deliveries older than {Retention}")]
    private static partial void LogPurged(ILogger logger, int events, int deliveries, TimeSpan retention);
}
