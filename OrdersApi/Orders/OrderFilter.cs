namespace Challenge.OrdersApi.Orders;

/// <summary>
/// Which orders a list holds: of a status, of a customer, created from (inclusive) and to (exclusive); null is any. And
/// in which order: by ascending id, or the newest first (<see cref="NewestFirst"/>, the cursor then counting down).
/// </summary>
public sealed record OrderFilter(string? Status, long? CustomerId, DateTime? From, DateTime? To, bool NewestFirst = false);
