namespace Challenge.OrdersApi.Orders;

/// <summary>Which orders a list holds: of a status, of a customer, created from (inclusive) and to (exclusive); null is any.</summary>
public sealed record OrderFilter(string? Status, long? CustomerId, DateTime? From, DateTime? To);
