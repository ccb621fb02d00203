using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.StackHarness;
using Challenge.TestSupport;
using Challenge.Webhooks.Events;
using Challenge.Webhooks.Subscriptions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MySqlConnector;

namespace Challenge.ApiTests.Events;

/// <summary>
/// Order events one can rely on: a feed to catch up from, secrets kept encrypted and rotated with an overlap, a re-send
/// that never sends twice at once nor to a disabled subscription, an outcome recorded whatever the receiver said, a log
/// that stays bounded, and subscriptions made before all this brought up to it.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class OrderEventTests(ServicesFixture fixture) : EventTestBase(fixture)
{
    private async Task<MySqlConnection> OrdersDbAsync() => new(await Fixture.ConnectionStringAsync(RunningStack.OrdersDb));

    private static async Task<JsonElement> FeedAsync(HttpClient client, string query) =>
        await (await client.GetAsync($"/events?{query}")).ExpectAsync(HttpStatusCode.OK);

    [Fact]
    public async Task TheFeedListsWhatACallerMaySeeOldestFirstEachAsItsWebhookBodyWithItsId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var own = await Records.CreateCustomerAsync();
        var other = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        await Subscriptions.SubscribeAsync(receiver, own);
        var order = (await Records.PlaceOkAsync(own, (product, 1))).GetProperty("id").GetInt64();
        await (await Records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);
        var othersOrder = (await Records.PlaceOkAsync(other, (product, 1))).GetProperty("id").GetInt64();
        var client = Fixture.AsClient(Resources.OrdersApi, own);
        var received = await receiver.WaitForAsync(r => r.Count >= 2, "the order's two events");

        // A client's feed holds its own customer's events: those of the order it was sent, in order, as they were sent.
        var first = await FeedAsync(client, $"order_id={order}&limit=1");
        var second = await FeedAsync(client, $"order_id={order}&after={first.GetProperty("next_cursor").GetInt64()}");
        var listed = first.GetProperty("data").EnumerateArray().Concat(second.GetProperty("data").EnumerateArray()).ToList();
        Assert.Equal(received.Select(r => r.Id), listed.Select(e => e.GetProperty("id").GetString()));
        foreach (var (sent, shown) in received.Zip(listed))
        {
            var body = sent.Json;
            Assert.Equal(body.GetProperty("type").GetString(), shown.GetProperty("type").GetString());
            Assert.Equal(body.GetProperty("timestamp").GetString(), shown.GetProperty("timestamp").GetString());
            Assert.Equal(body.GetProperty("data").GetRawText(), shown.GetProperty("data").GetRawText());
        }
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
        // Another customer's events are not there for it, whatever it asks; an operator sees them.
        Assert.Empty((await FeedAsync(client, $"order_id={othersOrder}")).GetProperty("data").EnumerateArray());
        var everything = await FeedAsync(client, $"after={received[0].Id}&limit=100");
        Assert.All(everything.GetProperty("data").EnumerateArray(), e => Assert.Equal(own, e.GetProperty("data").GetProperty("customer_id").GetInt64()));
        var operators = await FeedAsync(Subscriptions.Operator, $"order_id={othersOrder}&type=order.created");
        Assert.Equal(othersOrder, operators.GetProperty("data")[0].GetProperty("data").GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("after=evt_x", "after")]
    [InlineData("after=-1", "after")]
    [InlineData("type=order.shipped", "type")]
    [InlineData("order_id=0", "order_id")]
    [InlineData("limit=101", "limit")]
    public async Task AFeedQueryItCannotAnswerIsRefused(string query, string field) =>
        await (await Subscriptions.Operator.GetAsync($"/events?{query}")).ExpectValidationProblemAsync(field);

    [Fact]
    public async Task SecretsAreStoredEncryptedAndTheirKeyRingWithThem()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var created = await Subscriptions.SubscribeAsync(receiver, customer, CreatedOnly);
        var secret = created.GetProperty("secret").GetString()!;

        await Records.PlaceOkAsync(customer, (product, 1));
        var received = await receiver.WaitForAsync(r => r.Count >= 1, "an event, signed with the secret it was given");

        Assert.True(received[0].SignatureValid);
        await using var db = await OrdersDbAsync();
        var stored = await db.ExecuteScalarAsync<string>("SELECT secret FROM webhook_subscriptions WHERE id = @id", new { id = created.GetProperty("id").GetInt64() });
        Assert.StartsWith("CfDJ8", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], stored, StringComparison.Ordinal);
        var ring = (await db.QueryAsync<string>("SELECT xml FROM data_protection_keys")).ToList();
        Assert.NotEmpty(ring);
        Assert.All(ring, key => Assert.Contains("EncryptedData", key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARotatedSecretSignsBesideTheNewOneUntilTheOverlapEnds()
    {
        // The overlap ends 24 h after the rotation by the Orders API's clock: the dispatcher's must stand level with it.
        await Fixture.RestartDispatcherAtNowAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var created = await Subscriptions.SubscribeAsync(receiver, customer, CreatedOnly);
        var id = created.GetProperty("id").GetInt64();
        var old = created.GetProperty("secret").GetString()!;

        var rotated = await (await Subscriptions.Operator.PostAsync($"/webhooks/{id}/rotate-secret", null)).ExpectAsync(HttpStatusCode.OK);
        var secret = rotated.GetProperty("secret").GetString()!;
        receiver.Secret = secret;
        await Records.PlaceOkAsync(customer, (product, 1));
        var during = (await receiver.WaitForAsync(r => r.Count >= 1, "an event during the overlap"))[0];

        Assert.NotEqual(old, secret);
        Assert.Matches("^whsec_[A-Za-z0-9+/]{43}=$", secret);
        var shown = await (await Subscriptions.Operator.GetAsync($"/webhooks/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(rotated.GetProperty("previous_secret_expires_at").GetString(), shown.GetProperty("previous_secret_expires_at").GetString());
        Assert.DoesNotContain("whsec_", shown.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(2, during.Signatures.Count);
        Assert.True(during.SignedWith(secret, position: 0), during.Signature);
        Assert.True(during.SignedWith(old, position: 1), during.Signature);

        // Past the overlap (24 h), the new secret alone signs.
        Fixture.EventClock.Advance(TimeSpan.FromHours(25));
        await Records.PlaceOkAsync(customer, (product, 1));
        var after = (await receiver.WaitForAsync(r => r.Count >= 2, "an event after the overlap"))[1];
        Assert.Single(after.Signatures);
        Assert.True(after.SignedWith(secret), after.Signature);
        await (await Subscriptions.Operator.PostAsync("/webhooks/999999999/rotate-secret", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ADeliveryBeingSentIsNotSentAgainByHandAndSaysSo()
    {
        await using var silent = new SilentListener();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var subscription = (await Subscriptions.SubscribeAsync(silent.Url("hooks"), customer, CreatedOnly)).GetProperty("id").GetInt64();
        await Records.PlaceOkAsync(customer, (product, 1));
        var delivery = await Subscriptions.WaitForDeliveryAsync(subscription, d => d.GetProperty("attempts").GetInt32() == 1);
        while (silent.Connections == 0)
        {
            await Task.Delay(20);
        }

        var refused = await (await Subscriptions.Operator.PostAsync($"/webhooks/{subscription}/deliveries/{delivery.GetProperty("id").GetInt64()}/retry", null))
            .ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("being sent right now", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, silent.Connections);
    }

    [Fact]
    public async Task ADisabledSubscriptionIsSentNothingUntilItIsEnabledAndTheFeedHasWhatItMissed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => (HttpStatusCode.Gone, TimeSpan.Zero);
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var subscription = (await Subscriptions.SubscribeAsync(receiver, customer, CreatedOnly)).GetProperty("id").GetInt64();
        var first = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
        var gone = await Subscriptions.WaitForDeliveryAsync(subscription, d => d.GetProperty("status").GetString() == "failed");
        var retry = $"/webhooks/{subscription}/deliveries/{gone.GetProperty("id").GetInt64()}/retry";

        // Disabled: a re-send is refused, with what to do; an event meanwhile is not queued for it.
        var refused = await (await Subscriptions.Operator.PostAsync(retry, null)).ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("disabled", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains($"/webhooks/{subscription}/enable", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var missed = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();

        receiver.Answer = _ => (HttpStatusCode.OK, TimeSpan.Zero);
        var enabled = await (await Subscriptions.Operator.PostAsync($"/webhooks/{subscription}/enable", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, enabled.GetProperty("disabled_at").ValueKind);
        Assert.Equal(HttpStatusCode.Accepted, (await Subscriptions.Operator.PostAsync(retry, null)).StatusCode);
        var later = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();

        var delivered = await receiver.WaitForAsync(r => r.Any(w => w.OrderId == later) && r.Any(w => w.OrderId == first), "the re-sent event and the later one");
        Assert.DoesNotContain(receiver.Received, w => w.OrderId == missed);
        var queued = await (await Subscriptions.Operator.GetAsync($"/webhooks/{subscription}/deliveries")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal([first, later], queued.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("order_id").GetInt64()));
        var feed = await FeedAsync(Fixture.AsClient(Resources.OrdersApi, customer), $"order_id={missed}");
        Assert.Equal("order.created", feed.GetProperty("data")[0].GetProperty("type").GetString());
        Assert.All(delivered, w => Assert.True(w.SignatureValid));
        await (await Subscriptions.Operator.PostAsync("/webhooks/999999999/enable", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnOutcomeIsRecordedWhateverTheReceiverSaidAndTheDeliveryGivesUpOnTime()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => (HttpStatusCode.ServiceUnavailable, TimeSpan.Zero);
        receiver.Reason = $"Down for maintenance: {new string('x', 1_500)}";
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var subscription = (await Subscriptions.SubscribeAsync(receiver, customer, CreatedOnly)).GetProperty("id").GetInt64();
        await Records.PlaceOkAsync(customer, (product, 1));

        var failed = await Subscriptions.WaitForDeliveryAsync(subscription, d => Subscriptions.FailureRecorded(d, attempts: 1));
        Assert.StartsWith("The receiver answered 503 Down for maintenance: xxx", failed.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(500, failed.GetProperty("last_error").GetString()!.Length);

        Fixture.EventClock.Advance(TimeSpan.FromHours(25));
        var givenUp = await Subscriptions.WaitForDeliveryAsync(subscription, d => d.GetProperty("status").GetString() == "failed");
        Assert.Equal(2, givenUp.GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task EventsAndFinishedDeliveriesPastTheRetentionArePurgedAndNothingLeftToDeliverGoes()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var delivered = (await Subscriptions.SubscribeAsync(receiver, customer, CreatedOnly)).GetProperty("id").GetInt64();
        var down = WebhookReceiver.Down();
        await using (down)
        {
            var pending = (await Subscriptions.SubscribeAsync(down, customer, CreatedOnly)).GetProperty("id").GetInt64();
            var old = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
            await receiver.WaitForAsync(r => r.Count >= 1, "the old order's event");
            await Subscriptions.WaitForDeliveryAsync(pending, d => Subscriptions.FailureRecorded(d, attempts: 1));
            var recent = (await Records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
            await receiver.WaitForAsync(r => r.Count >= 2, "the recent order's event");
            await using var db = await OrdersDbAsync();
            // The old order's event and deliveries, as if they were 31 days old.
            await db.ExecuteAsync("""
                UPDATE order_events SET occurred_at = UTC_TIMESTAMP(3) - INTERVAL 31 DAY WHERE order_id = @old;
                UPDATE webhook_deliveries SET created_at = UTC_TIMESTAMP(3) - INTERVAL 31 DAY WHERE order_id = @old;
                """, new { old });
            var retention = Fixture.Host(Resources.OrderEvents).Services.GetRequiredService<EventRetention>();

            await retention.PurgeAsync(DateTime.UtcNow - TimeSpan.FromDays(30), CancellationToken.None);

            // The delivered delivery is gone; the pending one, and with it its event, stays to be delivered.
            Assert.Equal((0, 1), (await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE order_id = @old AND subscription_id = @delivered",
                new { old, delivered }), await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE order_id = @old AND subscription_id = @pending",
                new { old, pending })));
            Assert.Equal(1, await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM order_events WHERE order_id = @old", new { old }));
            await (await Subscriptions.Operator.DeleteAsync($"/webhooks/{pending}")).ExpectAsync(HttpStatusCode.NoContent);

            await retention.PurgeAsync(DateTime.UtcNow - TimeSpan.FromDays(30), CancellationToken.None);

            Assert.Empty((await FeedAsync(Subscriptions.Operator, $"order_id={old}")).GetProperty("data").EnumerateArray());
            Assert.Single((await FeedAsync(Subscriptions.Operator, $"order_id={recent}")).GetProperty("data").EnumerateArray());
        }
    }

    [Fact]
    public async Task ASubscriptionMadeBeforeSecretsWereEncryptedIsBroughtUpToItAndKeepsItsSecret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10);
        var legacySecret = Challenge.Webhooks.Signing.WebhookSignature.NewSecret();
        await using var db = await OrdersDbAsync();
        var id = await db.ExecuteScalarAsync<long>("""
            INSERT INTO webhook_subscriptions (url, events, customer_id, secret, created_at, active_since)
            VALUES (@url, 'order.created', @customer, @legacySecret, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3));
            SELECT LAST_INSERT_ID();
            """, new { url = receiver.Url.ToString(), customer, legacySecret });
        Subscriptions.Track(Subscriptions.Operator, id);
        receiver.Secret = legacySecret;

        await Fixture.Host(Resources.OrdersApi).Services.GetRequiredService<SubscriptionStore>().UpgradeLegacyAsync(CancellationToken.None);

        var stored = await db.QuerySingleAsync<(string Secret, byte[]? UrlKey)>("SELECT secret, url_key FROM webhook_subscriptions WHERE id = @id", new { id });
        Assert.StartsWith("CfDJ8", stored.Secret, StringComparison.Ordinal);
        Assert.NotNull(stored.UrlKey);
        var sameUrl = receiver.Url.ToString().Replace("http://", "HTTP://", StringComparison.Ordinal);
        await (await Subscriptions.Operator.PostJsonAsync("/webhooks", new { url = sameUrl, events = CreatedOnly, customer_id = customer }))
            .ExpectProblemAsync(HttpStatusCode.Conflict);
        await Records.PlaceOkAsync(customer, (product, 1));
        var received = await receiver.WaitForAsync(r => r.Count >= 1, "an event signed with the secret it was given before");
        Assert.True(received[0].SignatureValid, received[0].Signature);
    }
}
