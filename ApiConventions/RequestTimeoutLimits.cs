namespace Challenge.ApiConventions;

/// <summary>The <c>RequestTimeouts</c> configuration section: how long any request may run.</summary>
public sealed class RequestTimeoutLimits
{
    public const string Section = "RequestTimeouts";

    /// <summary>The longest any request may run before it is cancelled and answered 504 (an endpoint may set its own).</summary>
    public TimeSpan Default { get; set; } = TimeSpan.FromSeconds(10);
}
