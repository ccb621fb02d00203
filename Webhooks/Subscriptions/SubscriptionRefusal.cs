namespace Challenge.Webhooks.Subscriptions;

/// <summary>Why a subscription was not made: its scope holds <see cref="Cap"/> already, or the URL is subscribed already.</summary>
public sealed record SubscriptionRefusal(long? Held, int? Cap, bool DuplicateUrl);
