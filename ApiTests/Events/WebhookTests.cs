using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.StackHarness;
using Challenge.TestSupport;
using Dapper;
using MySqlConnector;

namespace Challenge.ApiTests.Events;

/// <summary>
/// Order events as signed webhooks, from the outbox through the dispatcher (hosted here, on a clock the test moves:
/// retries come when the test says, not after sleeps) to receivers of the test's own on real ports, which check every
/// signature with their own code.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class WebhookTests(ServicesFixture fixture) : EventTestBase(fixture)
{
    private Task<JsonElement> SubscribeAsync(WebhookReceiver receiver, long? customerId, string[]? events = null, HttpClient? client = null) =>
        Subscriptions.SubscribeAsync(receiver, customerId, events, client);

    private Task<JsonElement> WaitForDeliveryAsync(long subscription, Func<JsonElement, bool> condition) =>
        Subscriptions.WaitForDeliveryAsync(subscription, condition);

    private bool FailureRecorded(JsonElement delivery, int attempts) => Subscriptions.FailureRecorded(delivery, attempts);

    [Fact]
    public async Task EveryChangeOfAnOrderReachesItsSubscriberSignedAndInOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        await SubscribeAsync(receiver, customer);

        var order = (await Records.PlaceOkAsync(customer, (product, 2))).GetProperty("id").GetInt64();
        await (await Records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);
        await (await Records.CancelAsync(order)).ExpectAsync(HttpStatusCode.OK);

        var received = await receiver.WaitForAsync(r => r.Count >= 3, "the order's three events");
        Assert.Equal(["order.created", "order.confirmed", "order.canceled"], received.Select(r => r.Type));
        Assert.All(received, r => Assert.True(r.SignatureValid, $"{r.Id}: {r.Signature}"));
        Assert.All(received, r => Assert.Equal(order, r.OrderId));
        Assert.Equal(3, received.Select(r => r.Id).Distinct().Count());
        Assert.Equal(["CREATED", "CONFIRMED", "CANCELED"], received.Select(r => r.Json.GetProperty("data").GetProperty("status").GetString()));
        Assert.Equal([1, 2, 3], received.Select(r => r.Sequence));
        Assert.Equal("operator", received[2].Json.GetProperty("data").GetProperty("reason").GetString());
        HttpAssertions.AssertTimestamp(received[0].Json.GetProperty("timestamp"));
    }

    [Fact]
    public async Task AnOrchestratedOrderIsCreatedConfirmedAndSaysSoTwice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        await SubscribeAsync(receiver, customer);

        await (await new OrchestratorCalls(Fixture).CallAsync(customer, [(product, 1)], Unique.Token())).ExpectAsync(HttpStatusCode.Created);

        var received = await receiver.WaitForAsync(r => r.Count >= 2, "the orchestrated order's events");
        Assert.Equal(["order.created", "order.confirmed"], received.Select(r => r.Type));
        Assert.Equal([1, 2], received.Select(r => r.Sequence));
        Assert.All(received, r => Assert.Equal("CONFIRMED", r.Json.GetProperty("data").GetProperty("status").GetString()));
    }

    [Fact]
    public async Task ASubscriptionGetsTheEventsOfItsCustomerAndTypesAndNothingElse()
    {
        await using var ownReceiver = await WebhookReceiver.StartAsync();
        await using var everyoneReceiver = await WebhookReceiver.StartAsync();
        var own = await Records.CreateCustomerAsync();
        var other = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var client = Fixture.AsClient(Resources.OrdersApi, own);
        // The client's own subscription names no customer: it is for its own.
        var created = await SubscribeAsync(ownReceiver, customerId: null, events: ["order.canceled"], client: client);
        Assert.Equal(own, created.GetProperty("customer_id").GetInt64());

        var othersOrder = (await Records.PlaceOkAsync(other, (product, 1))).GetProperty("id").GetInt64();
        await (await Records.CancelAsync(othersOrder)).ExpectAsync(HttpStatusCode.OK);
        var ownOrder = (await Records.PlaceOkAsync(own, (product, 1))).GetProperty("id").GetInt64();
        await (await Records.CancelAsync(ownOrder, client)).ExpectAsync(HttpStatusCode.OK);
        // An operator's subscription to every customer, made now, gets what happens from now on.
        await SubscribeAsync(everyoneReceiver, customerId: null, events: ["order.created"]);
        var later = (await Records.PlaceOkAsync(other, (product, 1))).GetProperty("id").GetInt64();

        var received = await ownReceiver.WaitForAsync(r => r.Count >= 1, "its own order's cancellation");
        await everyoneReceiver.WaitForAsync(r => r.Any(w => w.OrderId == later), "the later order of another customer");
        Assert.Equal((ownOrder, "order.canceled", "client"), (received[0].OrderId, received[0].Type, received[0].Json.GetProperty("data").GetProperty("reason").GetString()));
        // Everything of the other customer happened before the own order's cancellation, which arrived: none of it was sent.
        Assert.DoesNotContain(ownReceiver.Received, r => r.OrderId != ownOrder);
        Assert.All(everyoneReceiver.Received, r => Assert.Equal("order.created", r.Type));
        Assert.DoesNotContain(everyoneReceiver.Received, r => r.OrderId == othersOrder || r.OrderId == ownOrder);
    }

    [Fact]
    public async Task SubscriptionsFollowTheTenantsRuleAndTheSecretIsShownOnce()
    {
        var own = await Records.CreateCustomerAsync();
        var other = await Records.CreateCustomerAsync();
        var client = Fixture.AsClient(Resources.OrdersApi, own);
        var body = new { url = "http://127.0.0.1:9/hooks", events = new[] { "order.created" }, customer_id = other };

        await (await client.PostJsonAsync("/webhooks", body)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        var operatorsId = (await (await Records.Orders.PostJsonAsync("/webhooks", body)).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        Subscriptions.Track(Records.Orders, operatorsId);
        var created = await (await client.PostJsonAsync("/webhooks", body with { customer_id = own })).ExpectAsync(HttpStatusCode.Created);
        var ownId = created.GetProperty("id").GetInt64();
        Subscriptions.Track(client, ownId);
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", created.GetProperty("secret").GetString());

        var shown = await (await client.GetAsync($"/webhooks/{ownId}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(shown.TryGetProperty("secret", out _));
        var listed = await (await client.GetAsync("/webhooks?limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.All(listed.GetProperty("data").EnumerateArray(), s => Assert.Equal(own, s.GetProperty("customer_id").GetInt64()));
        var listedIds = listed.GetProperty("data").EnumerateArray().Select(s => s.GetProperty("id").GetInt64()).ToList();
        Assert.Contains(ownId, listedIds);
        Assert.DoesNotContain(operatorsId, listedIds);
        Assert.DoesNotContain("whsec_", listed.GetRawText(), StringComparison.Ordinal);
        await (await client.GetAsync($"/webhooks/{operatorsId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await client.DeleteAsync($"/webhooks/{operatorsId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Records.Orders.GetAsync($"/webhooks/{operatorsId}")).ExpectAsync(HttpStatusCode.OK);
        await (await client.DeleteAsync($"/webhooks/{ownId}")).ExpectAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/webhooks/{ownId}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    /// <summary>What the console's pages ask for: one customer's subscriptions, one order's deliveries; never past the caller's scope.</summary>
    [Fact]
    public async Task SubscriptionsListByCustomerAndDeliveriesByOrder()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var own = await Records.CreateCustomerAsync();
        var other = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var ownId = (await SubscribeAsync(receiver, own, CreatedOnly)).GetProperty("id").GetInt64();
        var othersId = (await Subscriptions.SubscribeAsync(new Uri("http://127.0.0.1:9/other"), other, CreatedOnly)).GetProperty("id").GetInt64();
        var first = (await Records.PlaceOkAsync(own, (product, 1))).GetProperty("id").GetInt64();
        var second = (await Records.PlaceOkAsync(own, (product, 1))).GetProperty("id").GetInt64();
        await receiver.WaitForAsync(r => r.Count >= 2, "both orders' creation");

        static List<long> Ids(JsonElement page, string property) =>
            page.GetProperty("data").EnumerateArray().Select(item => item.GetProperty(property).GetInt64()).ToList();
        var owns = await (await Records.Orders.GetAsync($"/webhooks?customer_id={own}&limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([ownId], Ids(owns, "id"));
        var ofFirst = await (await Records.Orders.GetAsync($"/webhooks/{ownId}/deliveries?order_id={first}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([first], Ids(ofFirst, "order_id"));
        Assert.Contains(second, Ids(await (await Records.Orders.GetAsync($"/webhooks/{ownId}/deliveries")).ExpectAsync(HttpStatusCode.OK), "order_id"));
        // A client naming another customer lists nothing of it.
        var client = Fixture.AsClient(Resources.OrdersApi, own);
        Assert.Empty(Ids(await (await client.GetAsync($"/webhooks?customer_id={other}")).ExpectAsync(HttpStatusCode.OK), "id"));
        await (await client.GetAsync($"/webhooks/{othersId}/deliveries?order_id={first}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await Records.Orders.GetAsync("/webhooks?customer_id=0")).ExpectValidationProblemAsync("customer_id");
        await (await Records.Orders.GetAsync($"/webhooks/{ownId}/deliveries?order_id=0")).ExpectValidationProblemAsync("order_id");
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080/hooks", "https://")]
    [InlineData("http://8.8.8.8/hooks", "https://")]
    [InlineData("https://127.0.0.1/hooks", "public addresses only")]
    [InlineData("https://localhost/hooks", "public addresses only")]
    [InlineData("https://10.0.0.8/hooks", "public addresses only")]
    [InlineData("https://169.254.169.254/latest/meta-data", "public addresses only")]
    [InlineData("https://[::1]/hooks", "public addresses only")]
    [InlineData("https://192.0.2.1/hooks", "public addresses only")]
    [InlineData("https://8.8.8.8:8443/hooks", "port 443")]
    public async Task OutsideDevelopmentAWebhookToThisNetworkIsRefused(string url, string reason)
    {
        var strict = Fixture.Host(Instances.OrdersApiStrictWebhooks).Client(Fixture.CreateToken("operator", Resources.OrdersApi));

        var response = await strict.PostJsonAsync("/webhooks", new { url, events = CreatedOnly });

        var problem = await response.ExpectValidationProblemAsync("url");
        Assert.Contains(reason, problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientNamingAnotherCustomerIsRefusedBeforeItsUrlIsLookedAt()
    {
        var own = await Records.CreateCustomerAsync();
        var other = await Records.CreateCustomerAsync();
        var strict = Fixture.Host(Instances.OrdersApiStrictWebhooks).Client(Fixture.CreateToken("client", Resources.OrdersApi, customerId: own));

        // A URL that would be refused on its own: the answer says nothing of it, only that the customer is not this client's.
        var refused = await strict.PostJsonAsync("/webhooks", new { url = "https://127.0.0.1/hooks", events = CreatedOnly, customer_id = other });

        var problem = await refused.ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("url", problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task OutsideDevelopmentAWebhookToAPublicHttpsAddressIsAccepted()
    {
        var strict = Fixture.Host(Instances.OrdersApiStrictWebhooks).Client(Fixture.CreateToken("operator", Resources.OrdersApi));
        // A customer that orders nothing: the subscription is never sent anything.
        var customer = await Records.CreateCustomerAsync();

        var created = await (await strict.PostJsonAsync("/webhooks", new { url = "https://8.8.8.8/hooks", events = CreatedOnly, customer_id = customer }))
            .ExpectAsync(HttpStatusCode.Created);

        await (await strict.DeleteAsync($"/webhooks/{created.GetProperty("id").GetInt64()}")).ExpectAsync(HttpStatusCode.NoContent);
    }

    [Theory]
    [InlineData("""{"url":"http://127.0.0.1:9/hooks","events":[]}""", "events")]
    [InlineData("""{"url":"http://127.0.0.1:9/hooks","events":["order.shipped"]}""", "events")]
    [InlineData("""{"events":["order.created"]}""", "url")]
    [InlineData("""{"url":"http://127.0.0.1:9/hooks","events":["order.created"],"customer_id":0}""", "customer_id")]
    public async Task AnInvalidSubscriptionIsRefused(string body, string field) =>
        await (await Records.Orders.PostRawAsync("/webhooks", body)).ExpectValidationProblemAsync(field);

    [Fact]
    public async Task AReceiverDownThenUpGetsItsEventsLaterAndOnce()
    {
        await using var receiver = WebhookReceiver.Down();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var subscription = (await SubscribeAsync(receiver, customer)).GetProperty("id").GetInt64();
        var order = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
        await WaitForDeliveryAsync(subscription, d => FailureRecorded(d, attempts: 1));

        await receiver.StartListeningAsync();
        Fixture.EventClock.Advance(TimeSpan.FromMinutes(1));

        var received = await receiver.WaitForAsync(r => r.Count >= 1, "the event, once it listens");
        Assert.Equal((order, "order.created"), (received[0].OrderId, received[0].Type));
        await WaitForDeliveryAsync(subscription, d => d.GetProperty("status").GetString() == "delivered");
        Fixture.EventClock.Advance(TimeSpan.FromMinutes(5));
        // The order's next event arrives after rounds that came with the clock past every retry: nothing was sent twice.
        await (await Records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);
        var all = await receiver.WaitForAsync(r => r.Count >= 2, "the order's next event");
        Assert.Equal(["order.created", "order.confirmed"], all.Select(r => r.Type));
    }

    [Fact]
    public async Task FailuresAreRetriedAndAnOrdersNextEventWaitsForItsPredecessor()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = n => (n < 2 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK, TimeSpan.Zero);
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var subscription = (await SubscribeAsync(receiver, customer)).GetProperty("id").GetInt64();
        var order = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
        await (await Records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);

        for (var failures = 1; failures <= 2; failures++)
        {
            var attempts = failures;
            await WaitForDeliveryAsync(subscription, d => d.GetProperty("event_type").GetString() == "order.created" && FailureRecorded(d, attempts));
            Assert.All(receiver.Received, r => Assert.Equal("order.created", r.Type));
            Fixture.EventClock.Advance(TimeSpan.FromMinutes(1));
        }

        var received = await receiver.WaitForAsync(r => r.Count >= 2, "both events once the receiver recovers");
        Assert.Equal(["order.created", "order.confirmed"], received.Select(r => r.Type));
        Assert.Equal(3, receiver.Received.Count(r => r.Type == "order.created"));
        Assert.All(receiver.Received.Where(r => r.Type == "order.created"), r => Assert.Equal(received[0].Id, r.Id));
        var delivered = await WaitForDeliveryAsync(subscription, d => d.GetProperty("event_type").GetString() == "order.created" && d.GetProperty("status").GetString() == "delivered");
        Assert.Equal(3, delivered.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task AGoneReceiverDisablesItsSubscription()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => (HttpStatusCode.Gone, TimeSpan.Zero);
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var subscription = (await SubscribeAsync(receiver, customer)).GetProperty("id").GetInt64();

        await Records.PlaceOkAsync(customer, (product, 1));
        await WaitForDeliveryAsync(subscription, d => d.GetProperty("status").GetString() == "failed" && d.GetProperty("last_status_code").GetInt32() == 410);
        var disabled = await (await Records.Orders.GetAsync($"/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(JsonValueKind.Null, disabled.GetProperty("disabled_at").ValueKind);
        await Records.PlaceOkAsync(customer, (product, 1));
        var other = await WebhookReceiver.StartAsync();
        await using (other)
        {
            // A later order's events, delivered to another subscription, come after: none went to the disabled one.
            await SubscribeAsync(other, customer);
            await Records.PlaceOkAsync(customer, (product, 1));
            await other.WaitForAsync(r => r.Count >= 1, "a later order's event");
        }
        Assert.Single(receiver.Received);
    }

    /// <summary>
    /// The server closes the dispatcher's idle pooled connections (as after an outage) while a receiver takes a
    /// delivery: its success is recorded all the same, on a new connection, and the event is not sent again. (The
    /// recording failed on the dead connection, and the delivery went again once its lease ran out.)
    /// </summary>
    [Fact]
    public async Task ASuccessIsRecordedWhenThePooledConnectionsWereClosedMeanwhile()
    {
        var database = new MySqlConnectionStringBuilder(await Fixture.ConnectionStringAsync(RunningStack.OrdersDb)) { Pooling = false }.ConnectionString;
        await using var receiver = await WebhookReceiver.StartAsync();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var subscription = (await SubscribeAsync(receiver, customer, CreatedOnly)).GetProperty("id").GetInt64();
        receiver.Answer = _ =>
        {
            Fixture.CloseIdleConnections(RunningStack.OrdersDb);
            return (HttpStatusCode.OK, TimeSpan.Zero);
        };

        try
        {
            var order = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();

            // Read straight from the database: the services' own pooled connections were closed too.
            await using var db = new MySqlConnection(database);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            (string? Status, int Attempts) delivery;
            while ((delivery = await db.QuerySingleOrDefaultAsync<(string?, int)>(
                       "SELECT status, attempts FROM webhook_deliveries WHERE subscription_id = @subscription AND order_id = @order",
                       new { subscription, order })).Status != "delivered")
            {
                Assert.True(DateTime.UtcNow < deadline, $"The delivery is {delivery.Status ?? "not made"} after 30 s: its success was not recorded.");
                await Task.Delay(20);
            }
            Assert.Equal(1, delivery.Attempts);
            Assert.Single(receiver.Received);
        }
        finally
        {
            // The hosts' pools hold the closed connections: dropped here, so that the next tests do not meet them.
            Fixture.ForgetPooledConnections();
        }
    }

    [Fact]
    public async Task ASlowReceiverHoldsBackOnlyItsOwnDeliveries()
    {
        await using var slow = await WebhookReceiver.StartAsync();
        await using var fast = await WebhookReceiver.StartAsync();
        slow.Answer = _ => (HttpStatusCode.OK, TimeSpan.FromSeconds(10));
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        await SubscribeAsync(slow, customer);
        await SubscribeAsync(fast, customer);

        var order = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
        await (await Records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);

        await fast.WaitForAsync(r => r.Count >= 2, "both events, beside a receiver that hangs");
        Assert.Single(slow.Received);
        Assert.Empty(slow.Accepted);
    }

    [Fact]
    public async Task ADeliveryGivenUpIsFailedAndCanBeSentAgainByHand()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => (HttpStatusCode.ServiceUnavailable, TimeSpan.Zero);
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var subscription = (await SubscribeAsync(receiver, customer, ["order.created"])).GetProperty("id").GetInt64();
        await Records.PlaceOkAsync(customer, (product, 1));
        await WaitForDeliveryAsync(subscription, d => d.GetProperty("attempts").GetInt32() >= 1);

        Fixture.EventClock.Advance(TimeSpan.FromHours(25));
        var failed = await WaitForDeliveryAsync(subscription, d => d.GetProperty("status").GetString() == "failed");
        var failedOnly = await (await Records.Orders.GetAsync($"/webhooks/{subscription}/deliveries?status=failed")).ExpectAsync(HttpStatusCode.OK);
        Assert.Single(failedOnly.GetProperty("data").EnumerateArray());

        receiver.Answer = _ => (HttpStatusCode.OK, TimeSpan.Zero);
        var retry = $"/webhooks/{subscription}/deliveries/{failed.GetProperty("id").GetInt64()}/retry";
        Assert.Equal(HttpStatusCode.Accepted, (await Records.Orders.PostAsync(retry, null)).StatusCode);
        await receiver.WaitForAsync(r => r.Count >= 1, "the delivery sent again by hand");
        await WaitForDeliveryAsync(subscription, d => d.GetProperty("status").GetString() == "delivered");
        var stillFailed = await (await Records.Orders.GetAsync($"/webhooks/{subscription}/deliveries?status=failed")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(stillFailed.GetProperty("data").EnumerateArray());
        await (await Records.Orders.PostAsync(retry, null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        await (await Records.Orders.PostAsync($"/webhooks/{subscription}/deliveries/{long.MaxValue}/retry", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
