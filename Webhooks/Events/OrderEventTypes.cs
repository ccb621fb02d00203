namespace Challenge.Webhooks.Events;

/// <summary>The changes of an order that are events, as subscriptions name them.</summary>
public static class OrderEventTypes
{
    public const string Created = "order.created";
    public const string Confirmed = "order.confirmed";
    public const string Canceled = "order.canceled";

    public static readonly IReadOnlyList<string> All = [Created, Confirmed, Canceled];
}

/// <summary>Why an order was cancelled, in its <c>order.canceled</c> event: by its client, by an operator, or by the abandoned-order sweep.</summary>
public static class CancelReasons
{
    public const string Client = "client";
    public const string Operator = "operator";
    public const string Expired = "expired";
}
