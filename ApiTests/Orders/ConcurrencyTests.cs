using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;
using Challenge.StackHarness;
using Dapper;
using MySqlConnector;
using Xunit.Abstractions;

namespace Challenge.ApiTests.Orders;

/// <summary>Many clients at once: no unit of stock sold twice or lost, no request executed twice, no 5xx.</summary>
[Collection(ServicesCollection.Name)]
public sealed class ConcurrencyTests(ServicesFixture fixture, ITestOutputHelper output)
{
    private readonly TestRecords records = new(fixture);

    [Fact]
    public async Task FortyClientsRacingForFiftyUnitsSellExactlyFifty()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 50);
        var accepted = new ConcurrentBag<long>();
        var refused = 0;
        var statuses = new ConcurrentBag<HttpStatusCode>();

        await Task.WhenAll(Enumerable.Range(0, 40).Select(async client =>
        {
            var random = new Random(client);
            var qty = (long)random.Next(1, 4);
            // Bounded: fifty units end every client's loop within 51 attempts (each refusal drops to single units, then stops).
            for (var attempt = 0; attempt < 60; attempt++)
            {
                var response = await records.PlaceAsync(customer, [(product, qty)]);
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    accepted.Add(qty);
                    qty = random.Next(1, 4);
                    continue;
                }
                Interlocked.Increment(ref refused);
                if (qty == 1)
                {
                    return;
                }
                qty = 1; // Not enough left for that many: take what single units remain, then stop.
            }
            Assert.Fail($"Client {client} was still placing orders after 60 attempts, with 50 units in stock.");
        }));

        output.WriteLine($"orders accepted: {accepted.Count} ({accepted.Sum()} units), refused: {refused}, final stock: {await records.StockAsync(product)}");
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, $"unexpected {s}"));
        Assert.Equal(50, accepted.Sum());
        Assert.Equal(0, await records.StockAsync(product));
        Assert.Equal(50, await records.HeldAsync(customer, product));
    }

    [Fact]
    public async Task MultiLineOrdersOverTheSameProductsInRandomOrderNeverFailOnDeadlocks()
    {
        var customer = await records.CreateCustomerAsync();
        var products = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            products.Add(await records.CreateProductAsync(stock: 40));
        }
        var statuses = new ConcurrentBag<HttpStatusCode>();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(async client =>
        {
            var random = new Random(1000 + client);
            for (var round = 0; round < 6; round++)
            {
                var lines = products.OrderBy(_ => random.Next()).Take(random.Next(2, 5)).Select(p => (p, (long)random.Next(1, 4)));
                statuses.Add((await records.PlaceAsync(customer, lines)).StatusCode);
            }
        }));

        output.WriteLine($"created: {statuses.Count(s => s == HttpStatusCode.Created)}, refused for stock: {statuses.Count(s => s == HttpStatusCode.Conflict)}");
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.Conflict, $"unexpected {s}"));
        await records.AssertConservedAsync(products.ToDictionary(p => p, _ => 40L), customer);
    }

    [Fact]
    public async Task StockIsConservedThroughAMixOfConcurrentCreatesConfirmsAndCancels()
    {
        var customer = await records.CreateCustomerAsync();
        var products = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            products.Add(await records.CreateProductAsync(stock: 60));
        }
        var unexpected = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(async client =>
        {
            var random = new Random(2000 + client);
            for (var round = 0; round < 5; round++)
            {
                var lines = products.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).Select(p => (p, (long)random.Next(1, 5)));
                var placed = await records.PlaceAsync(customer, lines);
                if (placed.StatusCode != HttpStatusCode.Created)
                {
                    Record(placed.StatusCode, HttpStatusCode.Conflict);
                    continue;
                }
                var id = (await placed.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
                switch (random.Next(4))
                {
                    case 0:
                        Record((await records.ConfirmAsync(id, Unique.Token())).StatusCode, HttpStatusCode.OK);
                        break;
                    case 1:
                        Record((await records.CancelAsync(id)).StatusCode, HttpStatusCode.OK);
                        break;
                    case 2:
                        var confirm = records.ConfirmAsync(id, Unique.Token());
                        var cancel = records.CancelAsync(id);
                        // Whichever wins, the loser's answer is one the contract allows.
                        Record((await confirm).StatusCode, HttpStatusCode.OK, HttpStatusCode.Conflict);
                        Record((await cancel).StatusCode, HttpStatusCode.OK, HttpStatusCode.Conflict);
                        break;
                }
            }
        }));

        Assert.Empty(unexpected);
        await records.AssertConservedAsync(products.ToDictionary(p => p, _ => 60L), customer);

        void Record(HttpStatusCode actual, params HttpStatusCode[] allowed)
        {
            if (!allowed.Contains(actual))
            {
                unexpected.Add($"{(int)actual}");
            }
        }
    }

    [Fact]
    public async Task TwentyConcurrentCreatesWithOneKeyMakeOneOrderAndOneStockMovement()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 100);
        var key = Unique.Token();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => HttpAssertions.RetryWhileInFlightAsync(() => records.PlaceAsync(customer, [(product, 3)], key))));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(bodies.Distinct());
        Assert.Single(await records.OrdersOfAsync(customer));
        Assert.Equal(97, await records.StockAsync(product));
    }

    [Fact]
    public async Task FiftyDuplicatesOfAKeyInFlightHoldNoConnectionBeyondAFewAndOtherRequestsKeepBeingServed()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var other = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        HttpResponseMessage[] duplicates;
        await using (var blocker = new MySqlConnection(await fixture.ConnectionStringAsync(RunningStack.OrdersDb)))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("SELECT id FROM products WHERE id = @product FOR UPDATE", new { product }, hold);
            var first = records.PlaceAsync(customer, [(product, 1)], key);
            await TestRecords.WaitUntilTheReservationWaitsAsync(blocker, hold, product, first);

            var pending = Enumerable.Range(0, 50).Select(_ => records.PlaceAsync(customer, [(product, 1)], key)).ToList();
            // Those past the bound are answered while the first is still held: they never waited for it.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (pending.Count(p => p.IsCompleted) < 50 - 8)
            {
                Assert.True(DateTime.UtcNow < deadline, $"Only {pending.Count(p => p.IsCompleted)} of 50 duplicates were answered within 30 s.");
                await Task.Delay(20);
            }
            Assert.False(first.IsCompleted, "The first request was answered before the duplicates: they may have waited for it.");
            var answeredWhileHeld = pending.Where(p => p.IsCompleted).Select(p => p.Result).ToList();
            // The ones still waiting hold a session each, blocked on the key's claim: no more than the bound.
            var sessionsOnTheKey = await blocker.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE 'INSERT INTO idempotency_keys%'", transaction: hold);
            Assert.InRange(sessionsOnTheKey, 1, 8);
            await (await records.Orders.GetAsync($"/products/{other}")).ExpectAsync(HttpStatusCode.OK);
            await (await records.PlaceAsync(customer, [(other, 1)], Unique.Token())).ExpectAsync(HttpStatusCode.Created);

            Assert.True(answeredWhileHeld.Count >= 50 - 8, $"Only {answeredWhileHeld.Count} of 50 duplicates were answered at once.");
            Assert.All(answeredWhileHeld, r =>
            {
                Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
                Assert.NotNull(r.Headers.RetryAfter);
            });
            await hold.RollbackAsync();
            duplicates = [await first, .. await Task.WhenAll(pending)];
        }

        Assert.All(duplicates, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)r.StatusCode}"));
        Assert.Equal(2, (await records.OrdersOfAsync(customer)).Count);
        Assert.Equal(9, await records.StockAsync(product));
    }

    [Fact]
    public async Task TwentyConcurrentConfirmsWithOneKeyGiveIdenticalAnswers()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var order = (await records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
        var key = Unique.Token();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => HttpAssertions.RetryWhileInFlightAsync(() => records.ConfirmAsync(order, key))));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(bodies.Distinct());
        Assert.Equal("CONFIRMED", JsonDocument.Parse(bodies[0]).RootElement.GetProperty("status").GetString());
        // Executed once: every other answer is the stored one, replayed under the key.
        Assert.Single(responses, r => !r.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task ConcurrentCancelsRestoreStockOnce()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var order = (await records.PlaceOkAsync(customer, (product, 4))).GetProperty("id").GetInt64();
        await (await records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => records.CancelAsync(order)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(10, await records.StockAsync(product));
    }
}
