namespace Challenge.Identity;

/// <summary>
/// Whose orders a caller may see, place or change. Operators are staff and act for every customer, as do services and
/// Development's anonymous caller; a client is one business, and its token names the customer it acts for
/// (<see cref="ClaimName"/>), checked when the token is validated. Every route that touches orders decides from this,
/// never from a <c>customer_id</c> in a client's body or query.
/// </summary>
public readonly record struct CustomerScope(long? CustomerId)
{
    /// <summary>The claim of a client token that names its customer.</summary>
    public const string ClaimName = "customer_id";

    public static readonly CustomerScope Everyone = new(null);

    /// <summary>The scope of a validated caller: its token's customer for a client, every customer otherwise.</summary>
    public static CustomerScope Of(System.Security.Claims.ClaimsPrincipal user) =>
        user.IsInRole(Roles.Client) && TryParse(user.FindFirst(ClaimName)?.Value, out var customerId) ? new(customerId) : Everyone;

    /// <summary>
    /// The same rule in SQL, for a table's <c>customer_id</c>: a statement that holds it takes the scope's
    /// <see cref="CustomerId"/> as <c>@tenant</c>, so that a client's statement never reads or changes another's rows.
    /// </summary>
    public const string SqlFilter = "(@tenant IS NULL OR customer_id = @tenant)";

    /// <summary>Whether the caller may act for <paramref name="customerId"/>.</summary>
    public bool Allows(long customerId) => CustomerId is null || CustomerId == customerId;

    public static bool TryParse(string? value, out long customerId) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out customerId) && customerId > 0;
}
