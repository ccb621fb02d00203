using System.Net;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Orders;

[Collection(ServicesCollection.Name)]
public sealed class AbandonedOrderSweepTests(ServicesFixture fixture)
{
    private const string Sweep = "AbandonedOrderSweep";

    private readonly TestRecords records = new(fixture);

    /// <summary>
    /// Orders left CREATED past the confirmation timeout are cancelled and their stock comes back exactly once, with
    /// two instances sweeping the same orders in the same rounds; a confirmed order is left alone. Time passes on the
    /// instances' clock, moved by the test: half an hour is one call.
    /// </summary>
    [Fact]
    public async Task AbandonedOrdersAreCancelledAndTheirStockRestoredOnceWithTwoInstancesSweeping()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 100);
        var sweepers = new[] { fixture.Host(Instances.OrdersApiSweeping1), fixture.Host(Instances.OrdersApiSweeping2) };
        var rounds = fixture.Rounds;
        try
        {
            // Both have swept once at start, before the orders exist.
            foreach (var sweeper in sweepers)
            {
                await rounds.WaitForAsync(sweeper, Sweep, 1);
            }
            var confirmed = (await records.PlaceOkAsync(customer, (product, 5))).GetProperty("id").GetInt64();
            await (await records.ConfirmAsync(confirmed, Unique.Token())).ExpectAsync(HttpStatusCode.OK);
            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => records.PlaceOkAsync(customer, (product, 2))));

            // Past the confirmation timeout (30 minutes) of orders placed now: both instances' next rounds find them.
            fixture.SweepClock.Advance(DateTimeOffset.UtcNow - fixture.SweepClock.GetUtcNow() + TimeSpan.FromMinutes(31));
            foreach (var sweeper in sweepers)
            {
                await rounds.WaitForAsync(sweeper, Sweep, 2);
            }
            // More rounds of each: nothing is cancelled, nor restored, twice.
            for (var minute = 0; minute < 3; minute++)
            {
                fixture.SweepClock.Advance(TimeSpan.FromMinutes(1));
                foreach (var sweeper in sweepers)
                {
                    await rounds.WaitForAsync(sweeper, Sweep, 3 + minute);
                }
            }

            var orders = await records.OrdersOfAsync(customer);
            Assert.Equal("CONFIRMED", orders.Single(o => o.GetProperty("id").GetInt64() == confirmed).GetProperty("status").GetString());
            Assert.All(orders.Where(o => o.GetProperty("id").GetInt64() != confirmed), o => Assert.Equal("CANCELED", o.GetProperty("status").GetString()));
            Assert.Equal(20, orders.Count(o => o.GetProperty("status").GetString() == "CANCELED"));
            Assert.Equal(95, await records.StockAsync(product));
        }
        finally
        {
            // Stopped, so that no later test's CREATED order is swept when the clock moves again.
            await fixture.StopAsync(Instances.OrdersApiSweeping1);
            await fixture.StopAsync(Instances.OrdersApiSweeping2);
        }
    }
}
