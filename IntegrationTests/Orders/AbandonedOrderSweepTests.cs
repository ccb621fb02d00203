using System.Net;
using Challenge.IntegrationTests.Infrastructure;

namespace Challenge.IntegrationTests.Orders;

[Collection(StackCollection.Name)]
public sealed class AbandonedOrderSweepTests(StackFixture fixture)
{
    private readonly Shop shop = new(fixture);

    /// <summary>
    /// Orders left CREATED past the confirmation timeout are cancelled and their stock comes back exactly once, with
    /// two instances sweeping the same orders at once; a confirmed order is left alone.
    /// </summary>
    [Fact]
    public async Task AbandonedOrdersAreCancelledAndTheirStockRestoredOnceWithTwoInstancesSweeping()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 100);
        long confirmed;
        try
        {
            // Both sweeping before the orders exist, so that both find them abandoned in the same rounds. Started one
            // after the other: two copies started at once by the harness have been seen to start without their
            // connection string (the copies share the original's configuration callbacks).
            foreach (var instance in Instances.OrdersApiSweeping)
            {
                await fixture.Stack.StartInstanceAsync(instance);
            }
            confirmed = (await shop.PlaceOkAsync(customer, (product, 5))).GetProperty("id").GetInt64();
            await (await shop.ConfirmAsync(confirmed, Unique.Token())).ExpectAsync(HttpStatusCode.OK);
            await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => shop.PlaceOkAsync(customer, (product, 2))));

            var deadline = DateTime.UtcNow.AddSeconds(30);
            while ((await shop.OrdersOfAsync(customer)).Count(o => o.GetProperty("status").GetString() == "CANCELED") < 20)
            {
                Assert.True(DateTime.UtcNow < deadline, "The abandoned orders were not all cancelled within 30 s.");
                await Task.Delay(200);
            }
            // Five more rounds of each instance: nothing is restored twice.
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        finally
        {
            // Stopped, so that no later test's CREATED order is swept a second after it was placed.
            await Task.WhenAll(Instances.OrdersApiSweeping.Select(fixture.Stack.StopAsync));
        }

        var orders = await shop.OrdersOfAsync(customer);
        Assert.Equal("CONFIRMED", orders.Single(o => o.GetProperty("id").GetInt64() == confirmed).GetProperty("status").GetString());
        Assert.All(orders.Where(o => o.GetProperty("id").GetInt64() != confirmed), o => Assert.Equal("CANCELED", o.GetProperty("status").GetString()));
        Assert.Equal(95, await shop.StockAsync(product));
    }
}
