using Challenge.Contracts.Customers;

namespace Challenge.CustomersApi.Customers;

public readonly record struct CustomerFields(string Name, string Email, string? Phone, CustomerLimits Limits);
