using Challenge.ServiceDefaults.Hosting;
using Challenge.ServiceDefaults.Data;
using Dapper;
using MySqlConnector;

namespace Challenge.OrdersApi.Idempotency;

/// <summary>Deletes expired Idempotency-Key records every five minutes, a bounded batch at a time.</summary>
public sealed class IdempotencyKeyPurger(Database db, TimeProvider time, JobMetrics metrics, ILogger<IdempotencyKeyPurger> logger)
    : PeriodicJob(time, metrics, logger)
{
    private const int BatchSize = 1000;

    protected override TimeSpan Period => TimeSpan.FromMinutes(5);

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        const string sql = "DELETE FROM idempotency_keys WHERE expires_at <= @now LIMIT @BatchSize";
        int deleted;
        do
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition(
                sql, new { now = Time.UtcNowMilliseconds(), BatchSize }, cancellationToken: cancellationToken));
        }
        while (deleted == BatchSize);
    }
}
