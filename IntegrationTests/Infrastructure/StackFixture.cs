using System.Net.Http.Headers;
using Challenge.ServiceDefaults.Auth;
using Challenge.StackHarness;

namespace Challenge.IntegrationTests.Infrastructure;

/// <summary>One stack for the whole test run, shared by every test class of the collection: the AppHost run by Aspire.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    /// <summary>Not Development: public endpoints require an operator token, as in production.</summary>
    public const string Environment = "Testing";

    private static readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private RunningStack? stack;

    /// <summary>The Orders API's next key in a rotation: <see cref="Instances.CustomersApiRotating"/> accepts it beside the current one.</summary>
    public SigningKey NextOrdersApiKey { get; } = SigningKey.Generate();

    /// <summary>
    /// A further service of the deployment (a reporting job, say) whose public key every service knows, so its tokens
    /// authenticate; no route serves it, so they are refused (403) wherever they go.
    /// </summary>
    public (string Name, SigningKey Key) OtherService { get; } = ("reporting", SigningKey.Generate());

    public RunningStack Stack => stack ?? throw new InvalidOperationException("The stack is not started.");

    public async Task InitializeAsync()
    {
        var otherService = OtherService.Key.Trusted(OtherService.Name);
        var nextOrdersApiKey = NextOrdersApiKey.Trusted(Resources.OrdersApi);
        stack = await RunningStack.StartAsync(new StackOptions
        {
            Environment = Environment,
            // Indexes past the AppHost's own trusted keys.
            ServiceConfiguration = new Dictionary<string, string>
            {
                ["Auth__TrustedKeys__8__PublicKey"] = otherService.PublicKey,
                ["Auth__TrustedKeys__8__Signer"] = otherService.Signer,
                // The tests are no model of a caller: one address, one operator for all, a fresh token per client. The
                // limits are proved on an instance of their own (Instances.CustomersApiRateLimited).
                ["RateLimits__ReadsPerSecond"] = "100000",
                ["RateLimits__WritesPerSecond"] = "100000",
                ["RateLimits__UnverifiedTokensPerSecond"] = "100000",
            },
            LogFile = Path.Combine(Repository.Root, "artifacts", "test-logs", "stack.log"),
            Instances =
            [
                new(Instances.CustomersApiRotating, Resources.CustomersApi, Configuration: new Dictionary<string, string>
                {
                    ["Auth__TrustedKeys__9__PublicKey"] = nextOrdersApiKey.PublicKey,
                    ["Auth__TrustedKeys__9__Signer"] = nextOrdersApiKey.Signer,
                }),
                new(Instances.CustomersApiDevelopment, Resources.CustomersApi, Environment: "Development"),
                new(Instances.OrdersApiShortWindow, Resources.OrdersApi, Configuration: new Dictionary<string, string>
                {
                    ["Orders__CancellationWindow"] = "00:00:01",
                }),
                new(Instances.OrdersApiShortTimeout, Resources.OrdersApi, Configuration: new Dictionary<string, string>
                {
                    ["RequestTimeouts__Default"] = "00:00:01",
                }),
                .. Instances.OrdersApiSweeping.Select(name => new ServiceInstance(name, Resources.OrdersApi, Configuration: new Dictionary<string, string>
                {
                    ["Orders__ConfirmationTimeout"] = "00:00:01",
                    ["Orders__SweepInterval"] = "00:00:00.200",
                })),
                new(Instances.CustomersApiRateLimited, Resources.CustomersApi, Configuration: new Dictionary<string, string>
                {
                    ["RateLimits__ReadsPerSecond"] = "200",
                    ["RateLimits__WritesPerSecond"] = "5",
                    ["RateLimits__UnverifiedTokensPerSecond"] = "5",
                }),
                new(Instances.OrchestratorShortDeadline, Resources.Orchestrator, Configuration: new Dictionary<string, string>
                {
                    ["Orchestrator__Deadline"] = "00:00:01",
                }),
            ],
        });
    }

    public async Task DisposeAsync()
    {
        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
    }

    /// <summary>A client of <paramref name="resource"/> that presents an operator token.</summary>
    public HttpClient Operator(string resource) => Client(resource, Stack.CreateToken(Roles.Operator, resource));

    /// <summary>A client of <paramref name="resource"/> that presents the orchestrator's service token (accepted on every internal route).</summary>
    public HttpClient Service(string resource) => Client(resource, Stack.CreateToken(Roles.Service, resource, subject: Resources.Orchestrator));

    /// <summary>A client of <paramref name="resource"/> that presents a client's token: a business, acting for its own customer.</summary>
    public HttpClient AsClient(string resource, long customerId, string? subject = null) =>
        Client(resource, Stack.CreateToken(Roles.Client, resource, subject: subject ?? $"client-of-{customerId}", customerId: customerId));

    /// <summary>A client of <paramref name="resource"/> with the given bearer token, or none.</summary>
    public HttpClient Client(string resource, string? token = null) => Client(Stack.BaseAddress(resource), token);

    public static HttpClient Client(Uri baseAddress, string? token = null)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

public static class Resources
{
    public const string CustomersApi = RunningStack.CustomersApi;
    public const string OrdersApi = RunningStack.OrdersApi;
    public const string Orchestrator = RunningStack.Orchestrator;
    public const string Database = RunningStack.Database;
}

/// <summary>Further instances of the services, declared beside the AppHost's and started by the tests that need them.</summary>
public static class Instances
{
    /// <summary>The Customers API in the middle of the Orders API's key rotation: accepts <see cref="StackFixture.NextOrdersApiKey"/> beside the current key.</summary>
    public const string CustomersApiRotating = "customers-api-rotating";

    /// <summary>The Customers API in Development, where public endpoints accept anonymous calls.</summary>
    public const string CustomersApiDevelopment = "customers-api-development";

    /// <summary>The Orders API with a cancellation window of one second.</summary>
    public const string OrdersApiShortWindow = "orders-api-short-window";

    /// <summary>The Orders API abandoning any request after one second.</summary>
    public const string OrdersApiShortTimeout = "orders-api-short-timeout";

    /// <summary>Two Orders API instances that cancel orders left CREATED for a second, sweeping five times a second each.</summary>
    public static readonly string[] OrdersApiSweeping = ["orders-api-sweeping-1", "orders-api-sweeping-2"];

    /// <summary>The Customers API letting one caller write 5 times a second, and one address present 5 unverified tokens a second.</summary>
    public const string CustomersApiRateLimited = "customers-api-rate-limited";

    /// <summary>The orchestrator with a deadline of one second for the whole orchestration.</summary>
    public const string OrchestratorShortDeadline = "orchestrator-short-deadline";
}
