namespace Challenge.Contracts.Orders;

/// <summary>A line of an order as a client sends it; every field is checked by <see cref="OrderLines.Validate(IReadOnlyList{NewOrderLine?}?, Validation.ValidationErrors)"/>.</summary>
public sealed record NewOrderLine(long? ProductId, long? Qty);
