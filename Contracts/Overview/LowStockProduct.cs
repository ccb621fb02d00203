namespace Challenge.Contracts.Overview;

public sealed record LowStockProduct(long Id, string Sku, string Name, long Stock);
