using Challenge.Contracts.Events;
using Challenge.ServiceDefaults.Http;

namespace Challenge.OrdersApi.Webhooks;

/// <summary>The body of <c>POST /webhooks</c>: where to send, which events, and for which customer (none: every customer, for operators).</summary>
public sealed record NewSubscription(string? Url, IReadOnlyList<string?>? Events, long? CustomerId)
{
    /// <summary>Checks the URL (its scheme and, outside Development, where it resolves) and the events; the events to keep, once each, in the usual order.</summary>
    public async Task<IReadOnlyList<string>> ValidateAsync(WebhookOptions options, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (await WebhookAddresses.RefusalAsync(Url, options, cancellationToken) is { } refusal)
        {
            errors.Add("url", refusal);
        }
        if (Events is not { Count: > 0 } || Events.Any(e => e is null || !OrderEventTypes.All.Contains(e)))
        {
            errors.Add("events", $"events is required: one or more of {string.Join(", ", OrderEventTypes.All)}.");
            return [];
        }
        if (CustomerId is <= 0)
        {
            errors.Add("customer_id", "customer_id must be a positive customer id, or absent for every customer.");
        }
        return OrderEventTypes.All.Where(Events.Contains).ToList();
    }
}

/// <summary>
/// A subscription as the API shows it: never its secret, which is shown once, when it is made
/// (<see cref="CreatedSubscription"/>); disabled since a 410 Gone, or paused until a time while its endpoint keeps failing.
/// </summary>
public sealed record Subscription(long Id, string Url, IReadOnlyList<string> Events, long? CustomerId, DateTime CreatedAt, DateTime? DisabledAt,
    DateTime? PausedUntil)
{
    public static Subscription Of(SubscriptionRow row) =>
        new(row.Id, row.Url, row.Events.Split(','), row.CustomerId, row.CreatedAt, row.DisabledAt, row.PausedUntil);
}

public sealed record CreatedSubscription(long Id, string Url, IReadOnlyList<string> Events, long? CustomerId, string Secret, DateTime CreatedAt);

public sealed record SubscriptionRow(long Id, string Url, string Events, long? CustomerId, DateTime CreatedAt, DateTime? DisabledAt, DateTime? PausedUntil);

/// <summary>One event for one subscription, as <c>GET /webhooks/{id}/deliveries</c> shows it.</summary>
public sealed record Delivery(
    long Id,
    long EventId,
    string EventType,
    long OrderId,
    string Status,
    int Attempts,
    DateTime NextAttemptAt,
    DateTime GiveUpAt,
    int? LastStatusCode,
    string? LastError,
    DateTime CreatedAt,
    DateTime? DeliveredAt);

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}
