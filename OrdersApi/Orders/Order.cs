namespace Challenge.OrdersApi.Orders;

/// <summary>
/// An order as the API returns it; the number of events it has had (its last event's <c>sequence</c>) travels in its
/// events, not in this body.
/// </summary>
public sealed record Order(
    long Id,
    long CustomerId,
    string Status,
    long TotalCents,
    IReadOnlyList<OrderItem> Items,
    DateTime CreatedAt,
    DateTime? ConfirmedAt,
    DateTime? CanceledAt,
    [property: System.Text.Json.Serialization.JsonIgnore] int Sequence);

/// <summary>A line of an order, with the product's sku, name and price as they were when it was ordered.</summary>
public sealed record OrderItem(long ProductId, string Sku, string Name, long Qty, long UnitPriceCents, long SubtotalCents);

public static class OrderStatus
{
    public const string Created = "CREATED";
    public const string Confirmed = "CONFIRMED";
    public const string Canceled = "CANCELED";

    public static readonly IReadOnlyList<string> All = [Created, Confirmed, Canceled];
}

/// <summary>A product's row as the reservation read it: the price to snapshot and the stock left.</summary>
public sealed record ProductSnapshot(long Id, string Sku, string Name, long PriceCents, long Stock);
