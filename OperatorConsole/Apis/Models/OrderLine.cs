namespace Challenge.OperatorConsole.Apis.Models;

/// <summary>A line with the product's sku, name and price as they were when it was ordered.</summary>
public sealed record OrderLine(long ProductId, string Sku, string Name, long Qty, long UnitPriceCents, long SubtotalCents);
