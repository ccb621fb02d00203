using System.Diagnostics;
using System.Net;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.TestSupport;
using Xunit.Abstractions;

namespace Challenge.IntegrationTests.Conventions;

[Collection(StackCollection.Name)]
public sealed class DatabaseOutageTests(StackFixture fixture, ITestOutputHelper output)
{
    /// <summary>The promised bounds under failure: readiness says so within 5 s, any request is answered within its request timeout.</summary>
    private static readonly TimeSpan healthBound = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan requestBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task WhileTheDatabaseIsDownTheServicesSayUnavailableAndRecoverByThemselves()
    {
        var customers = fixture.Operator(Resources.CustomersApi);
        var orders = fixture.Operator(Resources.OrdersApi);
        await fixture.Stack.StopAsync(Resources.Database);
        try
        {
            await (await orders.GetAsync("/products/1")).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            await (await orders.PostJsonAsync("/orders", new { customer_id = 1, items = new[] { new { product_id = 1, qty = 1 } } }))
                .ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await orders.GetAsync("/health")).StatusCode);
            var read = await customers.GetAsync("/customers/1");
            await read.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(read.Headers.RetryAfter);
            var write = await customers.PostJsonAsync("/customers", new { name = "Outage", email = Unique.Email() });
            await write.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await customers.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await customers.GetAsync("/alive")).StatusCode);
        }
        finally
        {
            await fixture.Stack.StartAsync(Resources.Database);
        }

        await (await customers.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await (await orders.GetAsync("/products/1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await customers.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await orders.GetAsync("/health")).StatusCode);
    }

    /// <summary>
    /// A database that hangs (its process frozen: connections are accepted, nothing answers) is what a stuck disk or a
    /// partition looks like. Readiness says so within its bound, every request is answered within the request timeout
    /// (503 or 504, never a hang), liveness stays up, and once the database answers again the services serve again,
    /// with no restart.
    /// </summary>
    [Fact]
    public async Task WhileTheDatabaseHangsEveryAnswerComesWithinItsBoundAndTheServicesRecoverByThemselves()
    {
        var customers = fixture.Operator(Resources.CustomersApi);
        var orders = fixture.Operator(Resources.OrdersApi);
        var records = new TestRecords(fixture);
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        // Every pool holds live connections when the database stops answering: the hardest case, a statement sent on one.
        await (await customers.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await (await orders.GetAsync("/products/1")).ExpectAsync(HttpStatusCode.OK);

        async Task<(string What, TimeSpan Took, HttpResponseMessage? Response)> TimedAsync(string what, Func<CancellationToken, Task<HttpResponseMessage>> send)
        {
            // Far past every bound, so that a hang is measured rather than cut short.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(40));
            var clock = Stopwatch.StartNew();
            HttpResponseMessage? response = null;
            try
            {
                response = await send(patience.Token);
            }
            catch (TaskCanceledException)
            {
            }
            output.WriteLine($"{what}: {(response is null ? "no answer" : $"{(int)response.StatusCode}")} after {clock.ElapsedMilliseconds} ms");
            return (what, clock.Elapsed, response);
        }
        static void AssertWithin(TimeSpan bound, (string What, TimeSpan Took, HttpResponseMessage? Response) answer, params HttpStatusCode[] statuses) =>
            Assert.True(answer.Response is { } response && statuses.Contains(response.StatusCode) && answer.Took < bound,
                $"{answer.What}: {answer.Response?.StatusCode.ToString() ?? "no answer"} after {answer.Took}, expected {string.Join(" or ", statuses)} within {bound}");

        // Readiness answers from a check at most a second old: the hang shows in the next check, within its own bound.
        async Task<(string What, TimeSpan Took, HttpResponseMessage? Response)> UntilNotReadyAsync(string what, HttpClient client)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var probe = await TimedAsync(what, token => client.GetAsync("/health", token));
                if (probe.Response?.StatusCode != HttpStatusCode.OK || clock.Elapsed > healthBound)
                {
                    return (what, clock.Elapsed, probe.Response);
                }
                await Task.Delay(100);
            }
        }

        await fixture.Stack.FreezeAsync(Resources.Database);
        try
        {
            var probes = await Task.WhenAll(UntilNotReadyAsync("customers-api /health", customers), UntilNotReadyAsync("orders-api /health", orders));
            var requests = await Task.WhenAll(
                TimedAsync("GET /customers/1", token => customers.GetAsync("/customers/1", token)),
                TimedAsync("POST /customers", token => customers.PostJsonAsync("/customers", new { name = "Frozen", email = Unique.Email() }, token)),
                TimedAsync("GET /products/1", token => orders.GetAsync("/products/1", token)),
                TimedAsync("POST /orders", token => orders.PostJsonAsync("/orders", new { customer_id = customer, items = new[] { new { product_id = product, qty = 1 } } }, token)));
            var alive = await TimedAsync("customers-api /alive", token => customers.GetAsync("/alive", token));

            Assert.All(probes, probe => AssertWithin(healthBound, probe, HttpStatusCode.ServiceUnavailable));
            Assert.All(requests, request => AssertWithin(requestBound, request, HttpStatusCode.ServiceUnavailable, HttpStatusCode.GatewayTimeout));
            foreach (var (_, _, response) in requests)
            {
                await response!.ExpectProblemAsync(response!.StatusCode);
            }
            AssertWithin(healthBound, alive, HttpStatusCode.OK);
        }
        finally
        {
            await fixture.Stack.ThawAsync(Resources.Database);
        }

        // Back by themselves: readiness first, then reads and writes, with no restart of any service.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await customers.GetAsync("/health")).StatusCode != HttpStatusCode.OK || (await orders.GetAsync("/health")).StatusCode != HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < deadline, "The services were not ready again 30 s after the database came back.");
            await Task.Delay(200);
        }
        await (await customers.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await (await customers.PostJsonAsync("/customers", new { name = "Thawed", email = Unique.Email() })).ExpectAsync(HttpStatusCode.Created);
        await (await orders.PostJsonAsync("/orders", new { customer_id = customer, items = new[] { new { product_id = product, qty = 1 } } }))
            .ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(9, await records.StockAsync(product));
    }
}
