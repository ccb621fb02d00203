using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders;

/// <summary>
/// Cancels the orders left CREATED past <see cref="OrdersOptions.ConfirmationTimeout"/>, so that stock a client
/// reserved and never confirmed comes back. Every instance sweeps; each order is cancelled by the same guarded
/// transaction a client's cancel uses, so when two instances pick the same order, one cancels it and restores its
/// stock, and the other finds it cancelled already.
/// </summary>
public sealed partial class AbandonedOrderSweep(
    OrderStore orders, IServiceScopeFactory scopes, TimeProvider time, IOptions<OrdersOptions> options, JobMetrics metrics, ILogger<AbandonedOrderSweep> logger)
    : PeriodicJob(time, metrics, logger)
{
    private const int BatchSize = 100;

    protected override TimeSpan Period => options.Value.SweepInterval;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var canceled = await SweepAsync(cancellationToken);
        if (canceled > 0)
        {
            LogSwept(logger, canceled, options.Value.ConfirmationTimeout);
        }
    }

    /// <summary>One round: the oldest abandoned orders, a bounded batch at a time, until none is left. How many this instance cancelled.</summary>
    private async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var createdBefore = Time.UtcNowMilliseconds() - options.Value.ConfirmationTimeout;
        await using var scope = scopes.CreateAsyncScope();
        var writer = scope.ServiceProvider.GetRequiredService<OrderWriter>();
        var canceled = 0;
        long after = 0;
        while (true)
        {
            var abandoned = await orders.AbandonedAsync(createdBefore, after, BatchSize, cancellationToken);
            foreach (var id in abandoned)
            {
                try
                {
                    canceled += await writer.CancelAbandonedAsync(id, createdBefore, cancellationToken) ? 1 : 0;
                }
                catch (MySqlException exception) when (exception.ErrorCode is MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.LockDeadlock)
                {
                    // Its row is busy (a confirmation under way, say): the others go on, and the next round sees it again.
                    LogOrderSkipped(logger, id, exception.Message);
                }
            }
            if (abandoned.Count < BatchSize)
            {
                return canceled;
            }
            after = abandoned[^1];
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Canceled {Count} orders left CREATED longer than {Timeout}; their stock is back")]
    private static partial void LogSwept(ILogger logger, int count, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "Abandoned order {OrderId} was busy and is left for the next round: {Reason}")]
    private static partial void LogOrderSkipped(ILogger logger, long orderId, string reason);
}
