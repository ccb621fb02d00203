using System.Net;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.TestSupport;
using Challenge.StackHarness;

namespace Challenge.IntegrationTests.Telemetry;

/// <summary>
/// The stack's telemetry, received where the dashboard would receive it: the AppHost's OTLP endpoint is a receiver
/// of this test's own, and one orchestrated order must show as one trace across the three services and their SQL, and
/// the delivery of its events to a subscriber, which the dispatcher makes later, in another process.
/// </summary>
public sealed class TraceTests : IAsyncLifetime
{
    private static readonly string[] createdOnly = ["order.created"];

    private OtlpReceiver receiver = null!;
    private RunningStack stack = null!;

    public async Task InitializeAsync()
    {
        receiver = await OtlpReceiver.StartAsync();
        // Development, as under ./run.sh: anonymous public endpoints, and Aspire's one-second export delay.
        stack = await RunningStack.StartAsync(new StackOptions { Environment = "Development", TelemetryEndpoint = receiver.Endpoint });
    }

    public async Task DisposeAsync()
    {
        await stack.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task OneOrchestratedOrderIsOneTraceAcrossTheThreeServicesTheirDatabasesAndItsWebhooks()
    {
        await using var subscriber = await WebhookReceiver.StartAsync();
        var customers = StackFixture.Client(stack.BaseAddress(Resources.CustomersApi));
        var orders = StackFixture.Client(stack.BaseAddress(Resources.OrdersApi));
        var customer = (await (await customers.PostJsonAsync("/customers", new { name = "Traced Buyer", email = Unique.Email("traced") }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var product = (await (await orders.PostJsonAsync("/products", new { sku = $"SKU-{Unique.Token()}", name = "Traced", price_cents = 100, stock = 5 }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        subscriber.Secret = (await (await orders.PostJsonAsync("/webhooks", new { url = subscriber.Url.ToString(), events = createdOnly, customer_id = customer }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("secret").GetString();

        await (await StackFixture.Client(stack.BaseAddress(Resources.Orchestrator)).PostJsonAsync("/orchestrator/create-and-confirm-order", new
        {
            customer_id = customer,
            items = new[] { new { product_id = product, qty = 2 } },
            idempotency_key = Unique.Token(),
        })).ExpectAsync(HttpStatusCode.Created);
        await subscriber.WaitForAsync(r => r.Count >= 1, "the order's event");

        // Exporters send in batches: wait for the whole trace, and fail with what did arrive.
        string[] services = [Resources.Orchestrator, Resources.CustomersApi, Resources.OrdersApi];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IGrouping<string, ReceivedSpan>? trace = null;
        while (trace is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            trace = receiver.Spans
                .GroupBy(s => s.TraceId)
                .FirstOrDefault(t => t.Any(s => s.Service == Resources.Orchestrator && s.Name.Contains("create-and-confirm-order", StringComparison.Ordinal))
                                     && services.All(service => t.Any(s => s.Service == service))
                                     && t.Any(s => s.Service == Resources.CustomersApi && s.Scope == "MySqlConnector")
                                     && t.Any(s => s.Service == Resources.OrdersApi && s.Scope == "MySqlConnector")
                                     && t.Any(s => s.Service == Resources.OrderEvents && s.Name == "deliver order.created"));
        }

        Assert.True(trace is not null, "No trace spans the orchestrator, both APIs, their SQL and the webhook's delivery. Received:\n" +
            string.Join('\n', receiver.Spans.Select(s => $"{s.TraceId} {s.Service} [{s.Scope}] {s.Name}")));
    }
}
