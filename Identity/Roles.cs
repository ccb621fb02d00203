namespace Challenge.Identity;

public static class Roles
{
    /// <summary>People who run the platform: customers, products, stock, orders.</summary>
    public const string Operator = "operator";

    /// <summary>A service calling another one; its <c>sub</c> names which.</summary>
    public const string Service = "service";

    /// <summary>A business that orders for itself: its token names its customer (<see cref="CustomerScope"/>).</summary>
    public const string Client = "client";
}
