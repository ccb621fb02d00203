using Challenge.Contracts.Customers;

namespace Challenge.CustomersApi.Customers;

/// <summary>A customer's row, as its statements read it.</summary>
public sealed record CustomerRow(long Id, string Name, string Email, string? Phone, int? LimitOpenOrders, long? LimitReservedUnits,
    DateTime CreatedAt, DateTime UpdatedAt, long Version)
{
    public Customer ToCustomer() => new(Id, Name, Email, Phone, new(LimitOpenOrders, LimitReservedUnits), CreatedAt, UpdatedAt, Version);
}
