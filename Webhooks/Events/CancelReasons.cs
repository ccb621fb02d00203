namespace Challenge.Webhooks.Events;

/// <summary>Why an order was cancelled, in its <c>order.canceled</c> event: by its client, by an operator, or by the abandoned-order sweep.</summary>
public static class CancelReasons
{
    public const string Client = "client";
    public const string Operator = "operator";
    public const string Expired = "expired";
}
