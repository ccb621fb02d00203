namespace Challenge.Contracts.Customers;

/// <summary>
/// A customer as the Customers API's internal lookup answers it, and as an orchestrated order keeps it: what the
/// customer was when the order was placed.
/// </summary>
public sealed record CustomerSnapshot(long Id, string Name, string Email, string? Phone);
