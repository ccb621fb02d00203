namespace Challenge.Webhooks.Events;

/// <summary>The changes of an order that are events, as subscriptions name them.</summary>
public static class OrderEventTypes
{
    public const string Created = "order.created";
    public const string Confirmed = "order.confirmed";
    public const string Canceled = "order.canceled";

    public static readonly IReadOnlyList<string> All = [Created, Confirmed, Canceled];
}
