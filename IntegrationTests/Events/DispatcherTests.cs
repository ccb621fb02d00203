using System.Net;
using System.Text.Json;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.IntegrationTests.Events;

/// <summary>The dispatcher as real processes: two of them at once on one outbox, and one killed in the middle of a delivery.</summary>
[Collection(StackCollection.Name)]
public sealed class DispatcherTests(StackFixture fixture)
{
    private static readonly string[] allEvents = ["order.created", "order.confirmed", "order.canceled"];

    private readonly TestRecords records = new(fixture);

    private async Task<long> SubscribeAsync(WebhookReceiver receiver, long customer)
    {
        var created = await (await records.Orders.PostJsonAsync("/webhooks", new
        {
            url = receiver.Url.ToString(),
            events = allEvents,
            customer_id = customer,
        })).ExpectAsync(HttpStatusCode.Created);
        receiver.Secret = created.GetProperty("secret").GetString();
        return created.GetProperty("id").GetInt64();
    }

    [Fact]
    public async Task TwoDispatchersAtOnceDeliverEachEventToEachSubscriberOnceAndInOrder()
    {
        await using var first = await WebhookReceiver.StartAsync();
        await using var second = await WebhookReceiver.StartAsync();
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 1_000);
        var subscriptions = new[] { await SubscribeAsync(first, customer), await SubscribeAsync(second, customer) };
        await fixture.Stack.StartInstanceAsync(Instances.SecondDispatcher);
        try
        {
            // Twenty orders, each created, confirmed and cancelled: sixty events, for two subscribers.
            await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            {
                var order = (await records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
                await (await records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);
                await (await records.CancelAsync(order)).ExpectAsync(HttpStatusCode.OK);
            }));

            foreach (var receiver in new[] { first, second })
            {
                var received = await receiver.WaitForAsync(r => r.Count >= 60, "the sixty events");
                // Said in full when it fails: which events came twice, when, and with which signing time (a re-send is signed anew).
                var twice = receiver.Received.GroupBy(r => r.Id).Where(g => g.Count() > 1)
                    .Select(g => $"{g.Key} at {string.Join(" and ", g.Select(r => $"{r.At:HH:mm:ss.fff} (signed {r.Timestamp})"))}");
                Assert.True(receiver.Received.Select(r => r.Id).Distinct().Count() == 60,
                    $"{receiver.Received.Select(r => r.Id).Distinct().Count()} distinct events of {receiver.Received.Count}; twice: {string.Join("; ", twice)}");
                Assert.Equal(60, receiver.Received.Count);
                Assert.All(received, r => Assert.True(r.SignatureValid));
                foreach (var order in received.GroupBy(r => r.OrderId))
                {
                    Assert.Equal(["order.created", "order.confirmed", "order.canceled"], order.Select(r => r.Type));
                }
            }
        }
        finally
        {
            await fixture.Stack.StopAsync(Instances.SecondDispatcher);
            foreach (var subscription in subscriptions)
            {
                await records.Orders.DeleteAsync($"/webhooks/{subscription}");
            }
        }
    }

    /// <summary>
    /// The dispatcher dies holding a delivery the receiver has not answered: nothing is lost. Once the delivery's lease
    /// runs out, the restarted dispatcher sends it again, with the same webhook-id for the receiver to deduplicate by,
    /// and the order's next event follows it.
    /// </summary>
    [Fact]
    public async Task ADispatcherKilledMidDeliveryLosesNothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // The first request is held (and then refused), long past the dispatcher's death; the others are taken at once.
        receiver.Answer = n => n == 0 ? (HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30)) : (HttpStatusCode.OK, TimeSpan.Zero);
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var subscription = await SubscribeAsync(receiver, customer);
        try
        {
            var order = (await records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (receiver.Received.Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The dispatcher did not send the event within 30 s.");
                await Task.Delay(10);
            }
            await fixture.Stack.KillAsync(Resources.OrderEvents);
            await (await records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);
            await fixture.Stack.StartAsync(Resources.OrderEvents);

            var received = await receiver.WaitForAsync(r => r.Count >= 2, "the event again, then the next one");
            Assert.Equal(["order.created", "order.confirmed"], received.Select(r => r.Type));
            Assert.Equal(receiver.Received[0].Id, received[0].Id);
            // The receiver's 200 is recorded just after it is given: both deliveries end delivered, within a bound.
            var recorded = DateTime.UtcNow.AddSeconds(30);
            JsonElement deliveries;
            while ((deliveries = (await (await records.Orders.GetAsync($"/webhooks/{subscription}/deliveries")).ExpectAsync(HttpStatusCode.OK))
                       .GetProperty("data")).EnumerateArray().Any(d => d.GetProperty("status").GetString() != "delivered") && DateTime.UtcNow < recorded)
            {
                await Task.Delay(50);
            }
            Assert.Equal(2, deliveries.GetArrayLength());
            Assert.All(deliveries.EnumerateArray(), d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
        }
        finally
        {
            await records.Orders.DeleteAsync($"/webhooks/{subscription}");
        }
    }
}
