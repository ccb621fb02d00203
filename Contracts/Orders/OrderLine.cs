namespace Challenge.Contracts.Orders;

/// <summary>One product and how many of it, after merging the lines that name the same product.</summary>
public readonly record struct OrderLine(long ProductId, long Qty);
