namespace Challenge.ApiConventions;

/// <summary>
/// The <c>RateLimits</c> configuration section. Each budget is a token bucket that holds one second of its rate, so a
/// caller may also send that many at once. The defaults are sized for real callers, not for a benchmark.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>
    /// GETs per second one caller may send: an operator's screens and a sync job paging 100 rows at a time read
    /// 20,000 rows a second with it, and one caller takes at most a tenth of what one instance serves.
    /// </summary>
    public int ReadsPerSecond { get; set; } = 200;

    /// <summary>
    /// Writes (POST, PUT, PATCH, DELETE) per second one caller may send: the API Gateway stage's default throttle in
    /// front of the orchestrator, well above any one business's order rate, and under a fifth of one instance's.
    /// </summary>
    public int WritesPerSecond { get; set; } = 50;

    /// <summary>
    /// Tokens not validated yet that one client address may present per second. A caller presents a new token a few
    /// times a day (people) or every few minutes (services), so 20 a second is far past any honest pattern; a flood
    /// of forged tokens gets 429s beyond it, each costing nothing, instead of a signature check (~130 µs) each.
    /// </summary>
    public int UnverifiedTokensPerSecond { get; set; } = 20;
}
