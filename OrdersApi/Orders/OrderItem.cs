namespace Challenge.OrdersApi.Orders;

/// <summary>A line of an order, with the product's sku, name and price as they were when it was ordered.</summary>
public sealed record OrderItem(long ProductId, string Sku, string Name, long Qty, long UnitPriceCents, long SubtotalCents);
