using Challenge.Contracts.Validation;
using Challenge.Webhooks.Events;

namespace Challenge.Webhooks.Subscriptions;

/// <summary>The body of <c>POST /webhooks</c>: where to send, which events, and for which customer (none: every customer, for operators).</summary>
public sealed record NewSubscription(string? Url, IReadOnlyList<string?>? Events, long? CustomerId)
{
    /// <summary>Checks the URL (its scheme, port and, outside Development, where it resolves) and the events; the events to keep, once each, in the usual order.</summary>
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
