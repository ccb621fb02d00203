namespace Challenge.Webhooks.Deliveries;

/// <summary>
/// When a failed delivery is tried again: exponential, from one second, doubling, at most an hour apart, each delay
/// drawn between half and all of its step (so that a receiver that failed many deliveries at once is not met by all
/// of their retries at once). Over the default 24 hours that is about 35 attempts.
/// </summary>
public static class Backoff
{
    private static readonly TimeSpan first = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan longest = TimeSpan.FromHours(1);

    /// <summary>The delay after the <paramref name="failures"/>-th failure (1 for the first).</summary>
    public static TimeSpan After(int failures, double random)
    {
        var step = failures >= 13 ? longest : TimeSpan.FromTicks(Math.Min(longest.Ticks, first.Ticks << (Math.Max(1, failures) - 1)));
        return step * (0.5 + random / 2);
    }
}
