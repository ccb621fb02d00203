namespace Challenge.Webhooks.Subscriptions;

/// <summary>A subscription just made: with its secret, shown this once.</summary>
public sealed record CreatedSubscription(long Id, string Url, IReadOnlyList<string> Events, long? CustomerId, string Secret, DateTime CreatedAt);
