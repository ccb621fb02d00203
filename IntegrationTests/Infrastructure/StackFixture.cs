using System.Net.Http.Headers;
using Challenge.DevHost;
using Challenge.ServiceDefaults.Auth;

namespace Challenge.IntegrationTests.Infrastructure;

/// <summary>One stack for the whole test run, shared by every test class of the collection.</summary>
public sealed class StackFixture : IAsyncLifetime
{
    /// <summary>Not Development: public endpoints require an operator token, as in production.</summary>
    public const string Environment = "Testing";

    private static readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private IRunningStack? stack;

    public IRunningStack Stack => stack ?? throw new InvalidOperationException("The stack is not started.");

    public async Task InitializeAsync() => stack = await StartStackAsync();

    public async Task DisposeAsync()
    {
        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
    }

    private static async Task<IRunningStack> StartStackAsync() =>
#if USE_ASPIRE
        await AspireStack.StartAsync(Environment);
#else
        await DevHostStack.StartAsync(Environment, new Dictionary<string, string>());
#endif

    /// <summary>A client of <paramref name="resource"/> that presents an operator token.</summary>
    public HttpClient Operator(string resource) => Client(resource, Stack.CreateToken(Roles.Operator, resource));

    /// <summary>A client of <paramref name="resource"/> that presents a service token.</summary>
    public HttpClient Service(string resource) => Client(resource, Stack.CreateToken(Roles.Service, resource));

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
    public const string CustomersApi = StackResources.CustomersApi;
    public const string OrdersApi = StackResources.OrdersApi;
    public const string Orchestrator = StackResources.Orchestrator;
    public const string Database = StackResources.Database;
}
