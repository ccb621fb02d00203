using Challenge.ServiceDefaults.Data;
using Dapper;
using MySqlConnector;

namespace Challenge.OrdersApi.Idempotency;

/// <summary>Deletes expired Idempotency-Key records in the background, a bounded batch at a time.</summary>
public sealed partial class IdempotencyKeyPurger(MySqlDataSource db, TimeProvider time, ILogger<IdempotencyKeyPurger> logger) : BackgroundService
{
    private const int BatchSize = 1000;
    private static readonly TimeSpan period = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(period, time);
        do
        {
            try
            {
                await PurgeAsync(stoppingToken);
            }
            catch (MySqlException exception)
            {
                // The database may be down for a while; the next round tries again.
                LogPurgeFailed(logger, exception.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        const string sql = "DELETE FROM idempotency_keys WHERE expires_at <= @now LIMIT @BatchSize";
        var purged = 0;
        int deleted;
        do
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition(
                sql, new { now = time.UtcNowMilliseconds(), BatchSize }, cancellationToken: cancellationToken));
            purged += deleted;
        }
        while (deleted == BatchSize);
        return purged;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired idempotency keys failed: {Reason}")]
    private static partial void LogPurgeFailed(ILogger logger, string reason);
}
