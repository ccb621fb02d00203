namespace Challenge.Identity;

/// <summary>The product's services by resource name: the <c>aud</c> of tokens for them, the <c>sub</c> of tokens they mint.</summary>
public static class ServiceNames
{
    public const string CustomersApi = "customers-api";
    public const string OrdersApi = "orders-api";
    public const string Orchestrator = "orchestrator";

    /// <summary>The order events' dispatcher: it calls no service, only the subscribers' receivers.</summary>
    public const string OrderEvents = "order-events";

    /// <summary>The operator console: people's pages over the APIs, calling them as the operator signed in.</summary>
    public const string OperatorConsole = "operator-console";
}
