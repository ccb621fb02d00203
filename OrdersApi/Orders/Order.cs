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
