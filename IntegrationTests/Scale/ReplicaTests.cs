using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.Identity;
using Challenge.StackHarness;
using Challenge.TestSupport;
using Dapper;
using MySqlConnector;
using Xunit.Abstractions;

namespace Challenge.IntegrationTests.Scale;

/// <summary>
/// Two instances of every service (the AppHost's replicas, behind DCP's proxies), under concurrent orchestrations and
/// direct orders whose keys are sent twice at once, with one Orders API instance and one dispatcher killed mid-load.
/// Every invariant is then checked in SQL, not in the answers.
/// </summary>
public sealed class ReplicaTests(ITestOutputHelper output) : IAsyncLifetime, ITestServices
{
    private const int Replicas = 2;

    private static readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromSeconds(5) };
    private RunningStack stack = null!;

    public string Environment => stack.Environment;

    public IReadOnlyDictionary<string, SigningKey> SigningKeys => stack.SigningKeys;

    public async Task InitializeAsync() => stack = await RunningStack.StartAsync(new StackOptions
    {
        Environment = "Testing",
        Replicas = Replicas,
        LogFile = Path.Combine(SourceTree.Root, "artifacts", "test-logs", "replicas.log"),
        ServiceConfiguration = StackFixture.ServiceConfiguration(),
    });

    public async Task DisposeAsync() => await stack.DisposeAsync();

    public HttpClient Client(string resource, string? token = null) => TestServices.Client(handler, stack.BaseAddress(resource), token);

    public Task<string> ConnectionStringAsync(string database) => stack.ConnectionStringAsync(database);

    [Fact]
    public async Task UnderLoadWithAnOrdersApiAndADispatcherKilledEveryInvariantHolds()
    {
        var records = new TestRecords(this);
        var orchestrator = new OrchestratorCalls(this);
        var customer = await records.CreateCustomerAsync();
        var products = new[] { await records.CreateProductAsync(stock: 300), await records.CreateProductAsync(stock: 300) };
        await using var subscriber = await WebhookReceiver.StartAsync();
        subscriber.Secret = (await (await records.Orders.PostJsonAsync("/webhooks", new { url = subscriber.Url.ToString(), events = allEvents, customer_id = customer }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("secret").GetString();
        var ordersApis = await stack.ReplicaProcessIdsAsync(RunningStack.OrdersApi, Replicas);
        var dispatchers = await stack.ReplicaProcessIdsAsync(RunningStack.OrderEvents, Replicas);

        // 80 requests, each sent by two clients at once under its one key: half orchestrations, half direct orders.
        var answers = new ConcurrentDictionary<string, ConcurrentBag<long>>();
        var done = 0;
        async Task SendAsync(int request)
        {
            var key = $"replica-{request}-{Unique.Token()}";
            var lines = new[] { (products[request % 2], 1L + request % 3) };
            var orchestrated = request % 2 == 0;
            await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
            {
                // A client retries until it gets an answer that is not a failure of the system: what a retrying client does.
                for (var attempt = 0; attempt < 30; attempt++)
                {
                    HttpResponseMessage response;
                    try
                    {
                        response = orchestrated ? await orchestrator.CallAsync(customer, lines, key) : await records.PlaceAsync(customer, lines, key);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(200);
                        continue;
                    }
                    if (response.StatusCode is HttpStatusCode.Created)
                    {
                        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                        answers.GetOrAdd(key, _ => []).Add(orchestrated ? body.GetProperty("data").GetProperty("order").GetProperty("id").GetInt64() : body.GetProperty("id").GetInt64());
                        return;
                    }
                    Assert.True(response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
                        $"{key}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    await Task.Delay(200);
                }
                Assert.Fail($"{key} got no answer in 30 attempts.");
            }));
            Interlocked.Increment(ref done);
        }
        // Four requests at a time, the next sent as soon as one is answered: a steady stream across the kills.
        var load = Parallel.ForEachAsync(Enumerable.Range(0, 80), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (request, _) => await SendAsync(request));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Volatile.Read(ref done) < 20)
        {
            Assert.False(load.IsCompleted, "The load ended before the kills.");
            Assert.True(DateTime.UtcNow < deadline, "20 requests were not answered within 60 s.");
            await Task.Delay(10);
        }
        RunningStack.Kill(ordersApis.Values.First());
        RunningStack.Kill(dispatchers.Values.First());
        await load;

        // One order per key, whichever instance and client made or replayed it.
        Assert.Equal(80, answers.Count);
        Assert.All(answers, a => Assert.Single(a.Value.Distinct()));
        await using var db = new MySqlConnection(await ConnectionStringAsync(RunningStack.OrdersDb));
        var orders = (await db.QueryAsync<(long Id, string Status)>("SELECT id, status FROM orders WHERE customer_id = @customer", new { customer })).ToList();
        Assert.Equal(answers.Values.Select(a => a.First()).Order(), orders.Select(o => o.Id).Order());
        // No orchestration left an order CREATED: every orchestrated one is CONFIRMED (the direct ones are CREATED).
        Assert.Equal(40, orders.Count(o => o.Status == "CONFIRMED"));
        Assert.Equal(40, orders.Count(o => o.Status == "CREATED"));
        // Stock conserved per product: initial = left + held by live orders.
        foreach (var product in products)
        {
            var (stock, held) = await db.QuerySingleAsync<(long, long)>("""
                SELECT stock, COALESCE((SELECT SUM(i.qty) FROM order_items i JOIN orders o ON o.id = i.order_id
                                        WHERE i.product_id = p.id AND o.status IN ('CREATED', 'CONFIRMED')), 0)
                FROM products p WHERE id = @product
                """, new { product });
            Assert.Equal(300, stock + held);
        }
        // Every event delivered to the subscriber (the surviving dispatcher took over the killed one's leases).
        var events = await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM order_events WHERE customer_id = @customer", new { customer });
        Assert.Equal(40 * 2 + 40, events);
        var received = await subscriber.WaitForAsync(r => r.Select(w => w.Id).Distinct().Count() >= events, $"the {events} events");
        Assert.All(received, r => Assert.True(r.SignatureValid));
        // A delivery the killed dispatcher sent but did not record stays pending until its lease runs out, and is sent
        // again (at least once): every one ends delivered, within a lease or two.
        var recorded = DateTime.UtcNow.AddSeconds(60);
        long undelivered;
        while ((undelivered = await db.ExecuteScalarAsync<long>("""
                   SELECT COUNT(*) FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
                   WHERE s.customer_id = @customer AND d.status <> 'delivered'
                   """, new { customer })) > 0 && DateTime.UtcNow < recorded)
        {
            await Task.Delay(100);
        }
        Assert.Equal(0, undelivered);
        output.WriteLine($"{orders.Count} orders, {events} events, {subscriber.Received.Count} deliveries received ({received.Count} accepted)");
    }

    private static readonly string[] allEvents = ["order.created", "order.confirmed", "order.canceled"];
}
