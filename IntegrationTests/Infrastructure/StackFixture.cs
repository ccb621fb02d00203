using Challenge.StackHarness;
using Challenge.TestSupport;

namespace Challenge.IntegrationTests.Infrastructure;

/// <summary>
/// The AppHost run by Aspire's testing builder, its services as real processes, shared by every test of the collection:
/// for what needs them (faults, the Lambda package, the trace across processes, the AppHost's own wiring).
/// </summary>
public sealed class StackFixture : IAsyncLifetime, ITestServices
{
    /// <summary>Not Development: public endpoints require tokens, as in production.</summary>
    public const string EnvironmentName = "Testing";

    private static readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private RunningStack? stack;

    public RunningStack Stack => stack ?? throw new InvalidOperationException("The stack is not started.");

    public string Environment => Stack.Environment;

    public IReadOnlyDictionary<string, Challenge.Identity.SigningKey> SigningKeys => Stack.SigningKeys;

    public async Task InitializeAsync() => stack = await RunningStack.StartAsync(new StackOptions
    {
        Environment = EnvironmentName,
        LogFile = Path.Combine(SourceTree.Root, "artifacts", "test-logs", "stack.log"),
        ServiceConfiguration = ServiceConfiguration(),
        Instances =
        [
            new(Instances.SecondDispatcher, Resources.OrderEvents),
            new(Instances.OrchestratorShortDeadline, Resources.Orchestrator, Configuration: new Dictionary<string, string>
            {
                ["Orchestrator__Deadline"] = "00:00:01",
            }),
        ],
    });

    /// <summary>What every stack of this tier gives its services.</summary>
    public static Dictionary<string, string> ServiceConfiguration() => new()
    {
        // The tests are no model of a caller (one address, one operator for every client of a burst): the limits are
        // proved in the API tier, on a host of their own.
        ["RateLimits__ReadsPerSecond"] = "100000",
        ["RateLimits__WritesPerSecond"] = "100000",
        ["RateLimits__UnverifiedTokensPerSecond"] = "100000",
        // The tests' webhook receivers listen on 127.0.0.1; a dispatcher gives up an attempt after 2 s (its lease: 7 s),
        // a connection after 1 s.
        ["Webhooks__AllowLocalUrls"] = "true",
        ["Dispatcher__AttemptTimeout"] = "00:00:02",
        ["Dispatcher__ConnectTimeout"] = "00:00:01",
        ["Dispatcher__PollInterval"] = "00:00:00.100",
    };

    public async Task DisposeAsync()
    {
        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
    }

    public HttpClient Client(string resource, string? token = null) => Client(Stack.BaseAddress(resource), token);

    public static HttpClient Client(Uri baseAddress, string? token = null) => TestServices.Client(handler, baseAddress, token);

    public Task<string> ConnectionStringAsync(string database) => Stack.ConnectionStringAsync(database);
}

[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<StackFixture>
{
    public const string Name = "stack";
}

/// <summary>Further instances of the services, declared beside the AppHost's and started by the tests that need them.</summary>
public static class Instances
{
    /// <summary>A second instance of the order events' dispatcher, working the same outbox.</summary>
    public const string SecondDispatcher = "order-events-2";

    /// <summary>The orchestrator with a deadline of one second for the whole orchestration.</summary>
    public const string OrchestratorShortDeadline = "orchestrator-short-deadline";
}
