namespace Challenge.Contracts.Customers;

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
