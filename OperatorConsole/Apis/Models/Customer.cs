using Challenge.Contracts.Customers;

namespace Challenge.OperatorConsole.Apis.Models;

public sealed record Customer(long Id, string Name, string Email, string? Phone, CustomerLimits Limits, DateTime CreatedAt, DateTime UpdatedAt);
