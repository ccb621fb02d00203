namespace Challenge.Webhooks.Deliveries;

/// <summary>What one attempt came to: the receiver's status (none when it did not answer) and why it failed.</summary>
public sealed record Attempt(int? StatusCode, string? Error)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    /// <summary>The receiver says the subscription is gone for good: it is disabled.</summary>
    public bool Gone => StatusCode == 410;
}
