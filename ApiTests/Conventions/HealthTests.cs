using System.Net;
using Challenge.ApiTests.Infrastructure;
using Challenge.StackHarness;
using Challenge.TestSupport;
using Dapper;
using MySqlConnector;

namespace Challenge.ApiTests.Conventions;

/// <summary>Readiness is cheap: however many probes come, they take nothing from the requests.</summary>
[Collection(ServicesCollection.Name)]
public sealed class HealthTests(ServicesFixture fixture)
{
    [Fact]
    public async Task HundredsOfConcurrentProbesLeaveThePoolToOrdersAndAskTheDatabaseAboutOnceASecond()
    {
        var records = new TestRecords(fixture);
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 1_000);
        // Four pooled connections: a probe that took one each would leave the orders none.
        var host = fixture.Host(Instances.OrdersApiSmallPool);
        var orders = host.Client(fixture.CreateToken("operator", Resources.OrdersApi));
        var probes = host.Client();
        Assert.Equal(HttpStatusCode.OK, (await probes.GetAsync("/health")).StatusCode);
        var pingsBefore = await PingsAsync();

        var started = DateTime.UtcNow;
        var health = Enumerable.Range(0, 400).Select(_ => probes.GetAsync("/health")).ToList();
        var placed = Enumerable.Range(0, 40).Select(_ => records.PlaceAsync(customer, [(product, 1)], client: orders)).ToList();
        await Task.WhenAll(health.Concat(placed));
        var seconds = (DateTime.UtcNow - started).TotalSeconds;

        foreach (var order in placed)
        {
            await (await order).ExpectAsync(HttpStatusCode.Created);
        }
        Assert.All(health, probe => Assert.Equal(HttpStatusCode.OK, probe.Result.StatusCode));
        // A ping is an administrative command to the server; the probes' share is one a second, and one that started before.
        var pings = await PingsAsync() - pingsBefore;
        Assert.True(pings <= Math.Ceiling(seconds) + 2, $"{pings} pings in {seconds:0.0} s for 400 probes");
        Assert.Equal(1_000 - 40, await records.StockAsync(product));
    }

    private async Task<long> PingsAsync()
    {
        await using var connection = new MySqlConnection(await fixture.ConnectionStringAsync(Challenge.StackHarness.RunningStack.OrdersDb));
        var row = await connection.QuerySingleAsync<(string Name, string Value)>("SHOW GLOBAL STATUS LIKE 'Com_admin_commands'");
        return long.Parse(row.Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The server closed the pooled connections (a restart, its idle timeout): a write that meets one is a 503 with
    /// Retry-After, never a 500, the pool is renewed, and its retry under the same key makes the one order.
    /// </summary>
    [Fact]
    public async Task AWriteOnAConnectionTheServerClosedIsA503AndItsRetryMakesTheOrder()
    {
        var records = new TestRecords(fixture);
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        fixture.CloseIdleConnections(RunningStack.OrdersDb);
        try
        {
            var refused = await records.PlaceAsync(customer, [(product, 2)], key);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            await Task.Delay(refused.Headers.RetryAfter!.Delta!.Value);

            await (await records.PlaceAsync(customer, [(product, 2)], key)).ExpectAsync(HttpStatusCode.Created);
            Assert.Single(await records.OrdersOfAsync(customer));
            Assert.Equal(8, await records.StockAsync(product));
        }
        finally
        {
            fixture.ForgetPooledConnections();
        }
    }

    /// <summary>
    /// The same for a write whose first statement begins its transaction (a subscription, counted under a lock): a 503
    /// too, not a 500, and its retry is made.
    /// </summary>
    [Fact]
    public async Task ATransactionBegunOnAConnectionTheServerClosedIsA503AndItsRetrySucceeds()
    {
        var customer = await new TestRecords(fixture).CreateCustomerAsync();
        var operatorClient = fixture.Operator(Resources.OrdersApi);
        var subscription = new { url = "http://127.0.0.1:9/hooks", events = new[] { "order.created" }, customer_id = customer };
        fixture.CloseIdleConnections(RunningStack.OrdersDb);
        try
        {
            var refused = await operatorClient.PostJsonAsync("/webhooks", subscription);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            await Task.Delay(refused.Headers.RetryAfter!.Delta!.Value);

            var created = await (await operatorClient.PostJsonAsync("/webhooks", subscription)).ExpectAsync(HttpStatusCode.Created);
            await operatorClient.DeleteAsync($"/webhooks/{created.GetProperty("id").GetInt64()}");
        }
        finally
        {
            fixture.ForgetPooledConnections();
        }
    }
}
