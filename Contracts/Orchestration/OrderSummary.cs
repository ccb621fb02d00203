namespace Challenge.Contracts.Orchestration;

/// <summary>An order as the orchestrator's envelope shows it.</summary>
public sealed record OrderSummary(long Id, string Status, long TotalCents, IReadOnlyList<OrderSummaryLine> Items);
