namespace Challenge.Contracts.Orchestration;

public sealed record OrderSummaryLine(long ProductId, long Qty, long UnitPriceCents, long SubtotalCents);
