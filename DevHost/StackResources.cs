namespace Challenge.DevHost;

/// <summary>
/// The product's topology as the AppHost declares it: the same resource names, ports and references, so the
/// services get exactly the configuration Aspire would give them.
/// </summary>
public static class StackResources
{
    public const string Database = "mysql";
    public const string CustomersDb = "customersdb";
    public const string OrdersDb = "ordersdb";
    public const string CustomersApi = "customers-api";
    public const string OrdersApi = "orders-api";
    public const string Orchestrator = "orchestrator";

    /// <summary>The folder of SQL scripts applied, in name order, to a new or existing server.</summary>
    public const string InitScriptsFolder = "db-init";

    public static readonly IReadOnlyList<ServiceDefinition> Services =
    [
        new(CustomersApi, "CustomersApi", 3001, [CustomersDb], []),
        new(OrdersApi, "OrdersApi", 3002, [OrdersDb], [CustomersApi]),
        new(Orchestrator, "OrchestratorLambda", 3000, [], [CustomersApi, OrdersApi]),
    ];

    public const int DefaultDatabasePort = 3307;
}

/// <param name="Name">The Aspire resource name, also the token audience and OTEL_SERVICE_NAME.</param>
/// <param name="Project">The project folder (and assembly name) that implements it.</param>
/// <param name="DefaultPort">The port of SPEC.md used by <c>./run.sh</c>.</param>
/// <param name="Databases">Connection strings it receives (<c>ConnectionStrings__{name}</c>).</param>
/// <param name="References">Services it calls, found through service discovery (<c>services__{name}__http__0</c>).</param>
public sealed record ServiceDefinition(
    string Name, string Project, int DefaultPort, IReadOnlyList<string> Databases, IReadOnlyList<string> References);
