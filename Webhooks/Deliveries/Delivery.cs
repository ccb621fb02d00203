namespace Challenge.Webhooks.Deliveries;

/// <summary>One event for one subscription, as <c>GET /webhooks/{id}/deliveries</c> shows it.</summary>
public sealed record Delivery(
    long Id,
    long EventId,
    string EventType,
    long OrderId,
    int Sequence,
    string Status,
    int Attempts,
    DateTime NextAttemptAt,
    DateTime GiveUpAt,
    int? LastStatusCode,
    string? LastError,
    DateTime CreatedAt,
    DateTime? DeliveredAt);

/// <summary>Where a delivery stands, the one definition the SQL and the API both write.</summary>
public static class DeliveryStatus
{
    /// <summary>To be sent, or being retried (in flight while its lease runs).</summary>
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Given up (or refused by a 410 Gone): sent again only by hand.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}

/// <summary>A claimed delivery, with what sending it takes: its secrets in plain text, the newest first.</summary>
public sealed record ClaimedDelivery(
    long Id, long SubscriptionId, long EventId, string EventType, string Url, IReadOnlyList<string> Secrets, string Payload, string? Traceparent,
    int Attempts, DateTime GiveUpAt, DateTime ClaimedUntil);

/// <summary>What one attempt came to: the receiver's status (none when it did not answer) and why it failed.</summary>
public sealed record Attempt(int? StatusCode, string? Error)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    /// <summary>The receiver says the subscription is gone for good: it is disabled.</summary>
    public bool Gone => StatusCode == 410;
}

/// <summary>What asking to send a delivery again came to.</summary>
public enum Resend
{
    /// <summary>Due at once, then on the usual schedule.</summary>
    Accepted,
    NotFound,
    DeliveredAlready,

    /// <summary>A dispatcher holds it now: sending it again would send it twice at once.</summary>
    InFlight,

    /// <summary>Its subscription is disabled (a 410 Gone): nothing is sent to it until it is enabled.</summary>
    SubscriptionDisabled,
}
