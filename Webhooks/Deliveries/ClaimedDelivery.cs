namespace Challenge.Webhooks.Deliveries;

/// <summary>A claimed delivery, with what sending it takes: its secrets in plain text, the newest first.</summary>
public sealed record ClaimedDelivery(
    long Id, long SubscriptionId, long EventId, string EventType, string Url, IReadOnlyList<string> Secrets, string Payload, string? Traceparent,
    int Attempts, DateTime GiveUpAt, DateTime ClaimedUntil);
