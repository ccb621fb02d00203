namespace Challenge.Identity;

/// <summary>
/// Who is calling, as idempotency keys are scoped: the token's subject and, for a client, the customer it acts for (one
/// subject may act for several businesses, and a key one of them used must replay nothing to another); or the
/// anonymous caller of Development.
/// </summary>
public static class Callers
{
    public const string Anonymous = "anonymous";

    /// <remarks>A validated token always names a subject that is not blank (<see cref="AuthExtensions"/> refuses one that does not).</remarks>
    public static string Of(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated != true ? Anonymous
        : CustomerScope.Of(user).CustomerId is { } customerId ? $"customer:{customerId}|sub:{user.FindFirst("sub")!.Value}"
        : $"sub:{user.FindFirst("sub")!.Value}";
}
