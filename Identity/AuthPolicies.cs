namespace Challenge.Identity;

public static class AuthPolicies
{
    /// <summary>Customers, and changes to products: operators only (in Development, anonymous callers too).</summary>
    public const string Operator = "operator";

    /// <summary>
    /// The orchestrator, orders and reading products: clients (each within its <see cref="CustomerScope"/>) and operators
    /// (in Development, anonymous callers too).
    /// </summary>
    public const string Client = "client";
}
