using System.Collections.Concurrent;
using Challenge.CustomersApi.Customers;
using Challenge.OrchestratorLambda.Orchestration;
using Challenge.OrderEvents.Dispatching;
using Challenge.OrdersApi;
using Challenge.Data;
using Challenge.Identity;
using Challenge.ServiceClients;
using Challenge.StackHarness;
using Challenge.TestSupport;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;

namespace Challenge.ApiTests.Infrastructure;

/// <summary>
/// The three services hosted in the test's process, configured as the AppHost configures them (the database it
/// declares, run by Aspire's testing builder; keys of their own; each service calling the others), shared by every
/// test of the collection. Another configuration of a service is another host (<see cref="Instances"/>), started
/// when a test first asks for it.
/// </summary>
public sealed class ServicesFixture : IAsyncLifetime, ITestServices
{
    /// <summary>Not Development: public endpoints require tokens, as in production.</summary>
    public const string EnvironmentName = "Testing";

    private readonly Dictionary<string, SigningKey> keys = LocalStack.Signers.ToDictionary(signer => signer, _ => SigningKey.Generate());
    private readonly string keyRingCertificate = Challenge.Webhooks.Signing.KeyRingCertificate.Generate();
    private readonly ConcurrentDictionary<string, Lazy<IServiceHost>> hosts = new();
    private readonly Dictionary<string, string> connectionStrings = [];
    private RunningStack? database;

    /// <summary>The Orders API's next key in a rotation: <see cref="Instances.CustomersApiRotating"/> accepts it beside the current one.</summary>
    public SigningKey NextOrdersApiKey { get; } = SigningKey.Generate();

    /// <summary>
    /// A further service of the deployment (a reporting job, say) whose public key every service knows, so its tokens
    /// authenticate; no route serves it, so they are refused (403) wherever they go.
    /// </summary>
    public (string Name, SigningKey Key) OtherService { get; } = ("reporting", SigningKey.Generate());

    /// <summary>The clock of <see cref="Instances.OrdersApiOnTheClock"/>, which a test moves on.</summary>
    public FakeTimeProvider OrderClock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The clock of the two sweeping instances: moving it runs their abandoned-order sweeps.</summary>
    public FakeTimeProvider SweepClock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>
    /// The dispatcher's clock: when a delivery is due, when it gives up. Moving it brings retries on at once (its
    /// polling, 50 ms here, is real time).
    /// </summary>
    public FakeTimeProvider EventClock { get; private set; } = new(DateTimeOffset.UtcNow);

    /// <summary>The rounds of every Orders API host's background jobs, counted from before any host starts.</summary>
    public JobRounds Rounds { get; } = new();

    public string Environment => EnvironmentName;

    public IReadOnlyDictionary<string, SigningKey> SigningKeys => keys;

    public async Task InitializeAsync()
    {
        database = await RunningStack.StartAsync(new StackOptions
        {
            Environment = EnvironmentName,
            SigningKeys = keys,
            DatabaseOnly = true,
            LogFile = Path.Combine(SourceTree.Root, "artifacts", "test-logs", "api-tier-database.log"),
        });
        foreach (var name in new[] { RunningStack.CustomersDb, RunningStack.OrdersDb })
        {
            connectionStrings[name] = await database.ConnectionStringAsync(name);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in hosts.Values.Where(h => h.IsValueCreated))
        {
            await ((IAsyncDisposable)host.Value).DisposeAsync();
        }
        if (database is not null)
        {
            await database.DisposeAsync();
        }
        Rounds.Dispose();
    }

    public HttpClient Client(string resource, string? token = null) => Host(resource).Client(token);

    public Task<string> ConnectionStringAsync(string database) => Task.FromResult(connectionStrings[database]);

    /// <summary>A service (<see cref="Resources"/>) or another instance of one (<see cref="Instances"/>), started on first use.</summary>
    public IServiceHost Host(string name) => hosts.GetOrAdd(name, _ => new Lazy<IServiceHost>(() => Create(name))).Value;

    /// <summary>
    /// Closes, from the server's side, every idle connection to <paramref name="database"/> (<see cref="RunningStack.OrdersDb"/>,
    /// say) but its own, as a restart or the server's idle timeout does: the hosts' pools keep them until they are used.
    /// </summary>
    public void CloseIdleConnections(string database)
    {
        using var connection = new MySqlConnection(new MySqlConnectionStringBuilder(connectionStrings[database]) { Pooling = false }.ConnectionString);
        connection.Open();
        foreach (var id in connection.Query<long>(
                     "SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND command = 'Sleep' AND id <> CONNECTION_ID()"))
        {
            try
            {
                connection.Execute($"KILL CONNECTION {id}");
            }
            catch (MySqlException gone) when (gone.ErrorCode == MySqlErrorCode.NoSuchThread)
            {
                // It ended meanwhile.
            }
        }
    }

    /// <summary>Every started host drops its pooled connections (after a test closed them from the server's side).</summary>
    public void ForgetPooledConnections()
    {
        foreach (var host in hosts.Values.Where(h => h.IsValueCreated))
        {
            host.Value.Services.GetService<Database>()?.ForgetPooledConnections();
        }
    }

    /// <summary>The orders API as the AppHost configures it, then <paramref name="overrides"/>; not started, not kept.</summary>
    public IServiceHost UnstartedOrdersApi(Dictionary<string, string> overrides) => Orders(overrides);

    /// <summary>
    /// A dispatcher whose clock stands at now, level with the services' real clocks (tests move the dispatcher's clock
    /// days ahead): the running one is stopped, and a new one starts on a new clock.
    /// </summary>
    public async Task RestartDispatcherAtNowAsync()
    {
        await StopAsync(Resources.OrderEvents);
        EventClock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _ = Host(Resources.OrderEvents).Services;
    }

    /// <summary>Stops an instance (its background jobs with it); the next <see cref="Host"/> starts it anew.</summary>
    public async Task StopAsync(string name)
    {
        if (hosts.TryRemove(name, out var host) && host.IsValueCreated)
        {
            await ((IAsyncDisposable)host.Value).DisposeAsync();
        }
    }

    private IServiceHost Create(string name) => name switch
    {
        Resources.CustomersApi => Customers(),
        Resources.OrdersApi => Orders(),
        Resources.Orchestrator => Orchestrator(),
        Resources.OrderEvents => Dispatcher(),
        Instances.OrdersApiStrictWebhooks => Orders(new() { ["Webhooks:AllowLocalUrls"] = "false" }),
        Instances.CustomersApiRotating => Customers(new()
        {
            ["Auth:TrustedKeys:9:PublicKey"] = NextOrdersApiKey.Trusted(Resources.OrdersApi).PublicKey,
            ["Auth:TrustedKeys:9:Signer"] = Resources.OrdersApi,
        }),
        Instances.CustomersApiDevelopment => Customers(environment: "Development"),
        Instances.CustomersApiRateLimited => Customers(new()
        {
            ["RateLimits:ReadsPerSecond"] = "200",
            ["RateLimits:WritesPerSecond"] = "5",
            ["RateLimits:UnverifiedTokensPerSecond"] = "5",
        }),
        Instances.OrdersApiShortTimeout => Orders(new() { ["RequestTimeouts:Default"] = "00:00:01" }),
        Instances.OrdersApiSmallPool => Orders(new() { ["Database:MaxPoolSize"] = "4" }),
        Instances.OrdersApiOnTheClock => Orders(clock: OrderClock),
        Instances.OrdersApiSweeping1 or Instances.OrdersApiSweeping2 => Orders(clock: SweepClock),
        _ => throw new ArgumentException($"No service or instance is named {name}.", nameof(name)),
    };

    private ServiceHost<CustomerRequest> Customers(Dictionary<string, string>? overrides = null, string environment = EnvironmentName) =>
        new(environment, Settings(Resources.CustomersApi, overrides), _ => { });

    private ServiceHost<OrdersOptions> Orders(Dictionary<string, string>? overrides = null, FakeTimeProvider? clock = null) =>
        new(EnvironmentName, Settings(Resources.OrdersApi, overrides), services =>
        {
            services.AddHttpClient<CustomerLookup>().ConfigurePrimaryHttpMessageHandler(() => Host(Resources.CustomersApi).Handler());
            if (clock is not null)
            {
                // A fake clock stands still from the fixture's start: brought up to now as its host starts, so that the
                // tokens a test mints now are valid on it (their not-before within the 30 s skew), however long the
                // tests before it took.
                if (clock.GetUtcNow() < DateTimeOffset.UtcNow)
                {
                    clock.SetUtcNow(DateTimeOffset.UtcNow);
                }
                services.AddSingleton<TimeProvider>(clock);
            }
        });

    private ServiceHost<OrchestratorOptions> Orchestrator() =>
        new(EnvironmentName, Settings(Resources.Orchestrator, null), services =>
        {
            services.AddHttpClient<CustomerLookup>().ConfigurePrimaryHttpMessageHandler(() => Host(Resources.CustomersApi).Handler());
            services.AddHttpClient<OrdersClient>().ConfigurePrimaryHttpMessageHandler(() => Host(Resources.OrdersApi).Handler());
        });

    private ServiceHost<WebhookSender> Dispatcher() =>
        new(EnvironmentName, Settings(Resources.OrderEvents, new()
        {
            ["Dispatcher:PollInterval"] = "00:00:00.050",
        }), services => services.AddSingleton<TimeProvider>(EventClock));

    /// <summary>A service's configuration, as the AppHost gives it, then the overrides.</summary>
    private Dictionary<string, string> Settings(string service, Dictionary<string, string>? overrides)
    {
        var settings = new Dictionary<string, string>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["ConnectionStrings:customersdb"] = connectionStrings[RunningStack.CustomersDb],
            ["ConnectionStrings:ordersdb"] = connectionStrings[RunningStack.OrdersDb],
            // Calls to the other services go to their hosts in this process (ConfigurePrimaryHttpMessageHandler).
            ["services:customers-api:http:0"] = $"http://{Resources.CustomersApi}",
            ["services:orders-api:http:0"] = $"http://{Resources.OrdersApi}",
            // The tests are no model of a caller: one address, one operator for all, a fresh token per client. The
            // limits are proved on an instance of their own (Instances.CustomersApiRateLimited).
            ["RateLimits:ReadsPerSecond"] = "100000",
            ["RateLimits:WritesPerSecond"] = "100000",
            ["RateLimits:UnverifiedTokensPerSecond"] = "100000",
            // The tests' webhook receivers listen on 127.0.0.1 (refused by default outside Development: Instances.OrdersApiStrictWebhooks).
            ["Webhooks:AllowLocalUrls"] = "true",
            ["Webhooks:KeyRingCertificate"] = keyRingCertificate,
        };
        var trusted = keys.Select(k => k.Value.Trusted(k.Key)).Append(OtherService.Key.Trusted(OtherService.Name)).ToList();
        for (var index = 0; index < trusted.Count; index++)
        {
            settings[$"Auth:TrustedKeys:{index}:PublicKey"] = trusted[index].PublicKey;
            settings[$"Auth:TrustedKeys:{index}:Signer"] = trusted[index].Signer;
        }
        if (keys.TryGetValue(service, out var own))
        {
            settings["Auth:SigningKey:PrivateKey"] = own.PrivateKey;
        }
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }
        return settings;
    }
}

[CollectionDefinition(Name)]
public sealed class ServicesCollection : ICollectionFixture<ServicesFixture>
{
    public const string Name = "services";
}

/// <summary>Further instances of the services, each its own host with its own configuration, started by the tests that need them.</summary>
public static class Instances
{
    /// <summary>The Customers API in the middle of the Orders API's key rotation: accepts <see cref="ServicesFixture.NextOrdersApiKey"/> beside the current key.</summary>
    public const string CustomersApiRotating = "customers-api-rotating";

    /// <summary>The Customers API in Development, where public endpoints accept anonymous calls.</summary>
    public const string CustomersApiDevelopment = "customers-api-development";

    /// <summary>The Customers API letting one caller write 5 times a second, and one address present 5 unverified tokens a second.</summary>
    public const string CustomersApiRateLimited = "customers-api-rate-limited";

    /// <summary>The Orders API with the default rule for webhook URLs outside Development: https, public addresses only.</summary>
    public const string OrdersApiStrictWebhooks = "orders-api-strict-webhooks";

    /// <summary>The Orders API abandoning any request after one second.</summary>
    public const string OrdersApiShortTimeout = "orders-api-short-timeout";

    /// <summary>The Orders API with four pooled connections to its database.</summary>
    public const string OrdersApiSmallPool = "orders-api-small-pool";

    /// <summary>The Orders API on the fixture's <see cref="ServicesFixture.OrderClock"/>, which a test moves on.</summary>
    public const string OrdersApiOnTheClock = "orders-api-on-the-clock";

    /// <summary>Two more Orders API instances on the fixture's <see cref="ServicesFixture.SweepClock"/>: their abandoned-order sweeps run when it moves.</summary>
    public const string OrdersApiSweeping1 = "orders-api-sweeping-1";

    public const string OrdersApiSweeping2 = "orders-api-sweeping-2";
}
