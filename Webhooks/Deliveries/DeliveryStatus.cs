namespace Challenge.Webhooks.Deliveries;

/// <summary>Where a delivery stands, the one definition the SQL and the API both write.</summary>
public static class DeliveryStatus
{
    /// <summary>To be sent, or being retried (in flight while its lease runs).</summary>
    public const string Pending = "pending";
    public const string Delivered = "delivered";

    /// <summary>Given up (or refused by a 410 Gone): sent again only by hand.</summary>
    public const string Failed = "failed";

    public static readonly IReadOnlyList<string> All = [Pending, Delivered, Failed];
}
