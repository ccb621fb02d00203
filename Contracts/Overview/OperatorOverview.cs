namespace Challenge.Contracts.Overview;

/// <summary>What the operators' home page shows at a glance: the day's orders, the last hour's pace, the stock running out, the deliveries given up.</summary>
/// <param name="Since">The start of the day counted (UTC midnight).</param>
/// <param name="OrdersToday">Today's orders by status, every status named (0 when none).</param>
/// <param name="OrdersPerMinute">Orders created in each minute of the last hour, oldest first, a minute without any included.</param>
/// <param name="LowStock">Products whose stock is at or below the threshold asked for, the lowest first (the newest first among equals).</param>
/// <param name="FailedDeliveries">Deliveries given up, per subscription, the most first.</param>
public sealed record OperatorOverview(
    DateTime Since,
    IReadOnlyDictionary<string, long> OrdersToday,
    IReadOnlyList<MinuteCount> OrdersPerMinute,
    IReadOnlyList<LowStockProduct> LowStock,
    IReadOnlyList<FailedDeliveries> FailedDeliveries);
