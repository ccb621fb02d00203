namespace Challenge.Contracts.Customers;

/// <summary>
/// A customer as an orchestrated order keeps it and the orchestrator's envelope shows it: what the customer was when the
/// order was placed.
/// </summary>
public sealed record CustomerSnapshot(long Id, string Name, string Email, string? Phone);
