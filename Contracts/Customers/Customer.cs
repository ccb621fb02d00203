using System.Text.Json.Serialization;
using Challenge.ServiceDefaults.Http;

namespace Challenge.Contracts.Customers;

/// <summary>
/// A customer as the Customers API answers it, publicly and to the services' internal lookup alike; its version (every
/// change moves it) travels as the ETag, not in the body.
/// </summary>
public sealed record Customer(long Id, string Name, string Email, string? Phone, CustomerLimits Limits, DateTime CreatedAt, DateTime UpdatedAt,
    [property: JsonIgnore] long Version) : IVersioned
{
    /// <summary>The customer as an orchestrated order keeps it: who it was when the order was placed.</summary>
    public CustomerSnapshot Snapshot() => new(Id, Name, Email, Phone);
}

/// <summary>
/// What the customer's clients may hold unconfirmed in the Orders API, when operators set it apart from that API's
/// defaults: open CREATED orders, and the units they reserve. Null: the default.
/// </summary>
public sealed record CustomerLimits(int? OpenOrders, long? ReservedUnits)
{
    public const int MaxOpenOrders = 100_000;
    public const long MaxReservedUnits = 1_000_000_000;

    public static readonly CustomerLimits Defaults = new(null, null);
}
