namespace Challenge.Webhooks.Deliveries;

/// <summary>A subscription with deliveries due: whose it is, how many more it may have in flight, and since when it has waited.</summary>
/// <param name="Owner">A customer, or an operator's subscription to every customer (its own owner).</param>
public sealed record Waiting(long Subscription, long Owner, long Room, DateTime WaitingSince);
