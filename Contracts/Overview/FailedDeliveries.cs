namespace Challenge.Contracts.Overview;

/// <param name="CustomerId">The customer the subscription is for; null when it is for every customer.</param>
public sealed record FailedDeliveries(long SubscriptionId, long? CustomerId, string Url, long Failed);
