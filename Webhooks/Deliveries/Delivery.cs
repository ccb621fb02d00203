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
