using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.TestSupport;
using Xunit.Abstractions;

namespace Challenge.IntegrationTests.Orders;

/// <summary>Services stopped, frozen and killed under the Orders API's feet.</summary>
[Collection(StackCollection.Name)]
public sealed class FaultTests(StackFixture fixture, ITestOutputHelper output)
{
    private readonly TestRecords records = new(fixture);

    [Fact]
    public async Task WithTheCustomersApiStoppedOrdersAreRefusedQuicklyAsUnavailableAndNoStockMoves()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        await fixture.Stack.StopAsync(Resources.CustomersApi);
        try
        {
            var clock = Stopwatch.StartNew();
            var response = await records.PlaceAsync(customer, [(product, 1)]);
            clock.Stop();

            var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
            output.WriteLine($"answered {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms: {problem.GetProperty("detail")}");
            Assert.Equal(10, await records.StockAsync(product));
        }
        finally
        {
            await fixture.Stack.StartAsync(Resources.CustomersApi);
        }

        await (await records.PlaceAsync(customer, [(product, 1)])).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(9, await records.StockAsync(product));
    }

    [Fact]
    public async Task WithTheCustomersApiHangingOrdersAreRefusedAsATimeoutWithinABoundAndNoStockMoves()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        await fixture.Stack.FreezeAsync(Resources.CustomersApi);
        try
        {
            var clock = Stopwatch.StartNew();
            var response = await records.PlaceAsync(customer, [(product, 1)]);
            clock.Stop();

            await response.ExpectProblemAsync(HttpStatusCode.GatewayTimeout);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
            output.WriteLine($"answered {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
        }
        finally
        {
            await fixture.Stack.ThawAsync(Resources.CustomersApi);
        }
        Assert.Equal(10, await records.StockAsync(product));
        await (await records.PlaceAsync(customer, [(product, 1)])).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AKeyedReplayIsAnsweredEvenWhileTheCustomersApiIsDown()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        var first = await (await records.PlaceAsync(customer, [(product, 2)], key)).ExpectAsync(HttpStatusCode.Created);
        await fixture.Stack.StopAsync(Resources.CustomersApi);
        try
        {
            var replay = await (await records.PlaceAsync(customer, [(product, 2)], key)).ExpectAsync(HttpStatusCode.Created);
            Assert.Equal(first.GetRawText(), replay.GetRawText());
        }
        finally
        {
            await fixture.Stack.StartAsync(Resources.CustomersApi);
        }
    }

    [Fact]
    public async Task KillingTheOrdersApiMidBurstThenRetryingEveryRequestCreatesNoDuplicates()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 1_000);
        var keys = Enumerable.Range(0, 60).Select(_ => Unique.Token()).ToList();
        var firstAttempts = new ConcurrentBag<string>();

        var succeeded = 0;
        // Four clients at a time, each sending the next key as soon as it has an answer: a steady stream to kill mid-way.
        var burst = Parallel.ForEachAsync(keys.Index(), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (entry, _) =>
        {
            var (i, key) = entry;
            try
            {
                var response = await records.PlaceAsync(customer, [(product, 1 + (i % 3))], key);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref succeeded);
                }
                firstAttempts.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (HttpRequestException)
            {
                firstAttempts.Add("connection lost");
            }
        });
        // Kill it mid-burst: some requests answered, some in flight (committed or not), the rest never sent.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref succeeded) < 15)
        {
            Assert.False(burst.IsCompleted, "The burst ended before 15 orders were placed.");
            Assert.True(DateTime.UtcNow < deadline, "15 orders of the burst were not placed within 30 s.");
            await Task.Delay(5);
        }
        await fixture.Stack.KillAsync(Resources.OrdersApi);
        await burst;
        await fixture.Stack.StartAsync(Resources.OrdersApi);

        // Every client retries its own request with its own key until it gets an answer.
        var orderIds = await Task.WhenAll(keys.Select(async (key, i) =>
        {
            var response = await records.PlaceAsync(customer, [(product, 1 + (i % 3))], key);
            return (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        }));

        output.WriteLine($"first attempts: {string.Join(", ", firstAttempts.GroupBy(a => a).Select(g => $"{g.Key} x{g.Count()}"))}");
        Assert.Contains("connection lost", firstAttempts);
        Assert.Contains("201", firstAttempts);
        Assert.Equal(keys.Count, orderIds.Distinct().Count());
        var orders = await records.OrdersOfAsync(customer);
        Assert.Equal(keys.Count, orders.Count);
        await records.AssertConservedAsync(new Dictionary<long, long> { [product] = 1_000 }, customer);
    }
}
