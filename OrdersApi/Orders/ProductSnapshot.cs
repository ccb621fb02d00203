namespace Challenge.OrdersApi.Orders;

/// <summary>A product's row as the reservation read it: the price to snapshot and the stock left.</summary>
public sealed record ProductSnapshot(long Id, string Sku, string Name, long PriceCents, long Stock);
