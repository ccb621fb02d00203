using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Challenge.OrdersApi.Idempotency;

/// <summary>
/// At most <see cref="OrdersOptions.MaxRequestsPerKey"/> requests with one key at work or waiting in this instance:
/// a concurrency limit per key, without a queue, so that a flood of duplicates is turned away at once, holding no
/// connection. Per instance: N instances let N times as many wait on one key's row.
/// </summary>
public sealed class KeyAdmission(IOptions<OrdersOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<IdempotentRequest> limiter = PartitionedRateLimiter.Create<IdempotentRequest, (string, string)>(
        request => RateLimitPartition.GetConcurrencyLimiter((request.Operation, request.StoredKey),
            _ => new ConcurrencyLimiterOptions { PermitLimit = options.Value.MaxRequestsPerKey, QueueLimit = 0 }));

    /// <summary>A lease to work under the key, to dispose when done; not acquired when the key has enough requests already.</summary>
    public RateLimitLease Admit(IdempotentRequest request) => limiter.AttemptAcquire(request);

    public void Dispose() => limiter.Dispose();
}
