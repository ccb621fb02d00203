using System.Text.Json.Serialization;

namespace Challenge.Contracts.Customers;

/// <summary>
/// A customer as the Customers API answers it, publicly and to the services' internal lookup alike; its version (every
/// change moves it) travels as the ETag, not in the body.
/// </summary>
public sealed record Customer(long Id, string Name, string Email, string? Phone, CustomerLimits Limits, DateTime CreatedAt, DateTime UpdatedAt,
    [property: JsonIgnore] long Version)
{
    /// <summary>The customer as an orchestrated order keeps it: who it was when the order was placed.</summary>
    public CustomerSnapshot Snapshot() => new(Id, Name, Email, Phone);
}
