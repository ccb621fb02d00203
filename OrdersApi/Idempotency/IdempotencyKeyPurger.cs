namespace Challenge.OrdersApi.Idempotency;

/// <summary>Deletes expired Idempotency-Key records every five minutes.</summary>
public sealed class IdempotencyKeyPurger(IdempotencyStore keys, TimeProvider time, JobMetrics metrics, ILogger<IdempotencyKeyPurger> logger)
    : PeriodicJob(time, metrics, logger)
{
    protected override TimeSpan Period => TimeSpan.FromMinutes(5);

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => keys.PurgeExpiredAsync(cancellationToken);
}
