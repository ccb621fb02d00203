using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Events;

/// <summary>
/// Webhooks are shared fairly: a customer's subscriptions are capped and each URL is subscribed once; an endpoint that
/// is slow, failing or silent delays its own subscription's deliveries only; one that keeps failing is paused, its
/// backlog kept for when it comes back.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class WebhookFairShareTests(ServicesFixture fixture) : EventTestBase(fixture)
{
    private static async Task ExpectCapAsync(HttpResponseMessage response, long max)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(("subscriptions", max, max), (problem.GetProperty("limit").GetString(), problem.GetProperty("max").GetInt64(), problem.GetProperty("held").GetInt64()));
        Assert.Contains($"the most it may have ({max})", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> TrySubscribeAsync(HttpClient client, string url, long? customerId = null)
    {
        var response = await client.PostJsonAsync("/webhooks", new { url, events = CreatedOnly, customer_id = customerId });
        if (response.StatusCode == HttpStatusCode.Created)
        {
            var created = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Subscriptions.Track(client, created.GetProperty("id").GetInt64());
        }
        return response;
    }

    [Fact]
    public async Task ACustomerHasAtMostTenSubscriptionsAndEachUrlOnce()
    {
        var customer = await Records.CreateCustomerAsync();
        var other = await Records.CreateCustomerAsync();
        var client = Fixture.AsClient(Resources.OrdersApi, customer);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await TrySubscribeAsync(client, $"http://127.0.0.1:9/hooks/{i}")).StatusCode);
        }

        await ExpectCapAsync(await TrySubscribeAsync(client, "http://127.0.0.1:9/hooks/10"), max: 10);
        // The same URL again is one subscription too many, however its scheme, host and default port are written.
        var operatorOf = Subscriptions.Operator;
        Assert.Equal(HttpStatusCode.Created, (await TrySubscribeAsync(operatorOf, "http://127.0.0.1/orders", other)).StatusCode);
        foreach (var again in new[] { "http://127.0.0.1/orders", "HTTP://127.0.0.1/orders", "http://127.0.0.1:80/orders" })
        {
            var problem = await (await TrySubscribeAsync(operatorOf, again, other)).ExpectProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("subscribed already", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        // Another path is another URL; another customer may subscribe the same one.
        Assert.Equal(HttpStatusCode.Created, (await TrySubscribeAsync(operatorOf, "http://127.0.0.1/Orders", other)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await TrySubscribeAsync(Fixture.AsClient(Resources.OrdersApi, other), "http://127.0.0.1:9/hooks/0")).StatusCode);
    }

    [Fact]
    public async Task AConcurrentBurstOfSubscriptionsCannotPassTheCap()
    {
        var customer = await Records.CreateCustomerAsync();
        var client = Fixture.AsClient(Resources.OrdersApi, customer);

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => TrySubscribeAsync(client, $"http://127.0.0.1:9/burst/{i}")));

        Assert.Equal(10, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await ExpectCapAsync(refused, max: 10);
        }
        var listed = await (await client.GetAsync("/webhooks?limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(10, listed.GetProperty("data").GetArrayLength());
    }

    /// <summary>
    /// A customer at the cap, every subscription to an endpoint that accepts and never answers, and a steady flow of its
    /// orders: each of its deliveries waits out the attempt timeout (10 s). Beside it, another customer's events reach
    /// its quick receiver at once.
    /// </summary>
    [Fact]
    public async Task AnEndpointThatNeverAnswersDelaysOnlyItsOwnCustomersEvents()
    {
        await using var silent = new SilentListener();
        await using var quick = await WebhookReceiver.StartAsync();
        var noisy = await Records.CreateCustomerAsync();
        var quiet = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 10_000);
        var noisyClient = Fixture.AsClient(Resources.OrdersApi, noisy);
        for (var i = 0; i < 10; i++)
        {
            await Subscriptions.SubscribeAsync(silent.Url($"hooks/{i}"), customerId: null, client: noisyClient);
        }
        await Subscriptions.SubscribeAsync(quick, quiet, CreatedOnly);

        // The noisy customer's orders come first and keep coming: 10 deliveries each, none ever answered.
        using var stop = new CancellationTokenSource();
        var noise = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await Records.PlaceOkAsync(noisy, (product, 1));
                await Task.Delay(50, CancellationToken.None);
            }
        });
        await WaitUntilAsync(() => silent.Connections >= 40, "the silent endpoint to hold forty attempts");
        var committed = new ConcurrentDictionary<long, DateTimeOffset>();
        for (var i = 0; i < 12; i++)
        {
            var order = (await Records.PlaceOkAsync(quiet, (product, 1))).GetProperty("id").GetInt64();
            committed[order] = DateTimeOffset.UtcNow;
            await Task.Delay(150);
        }
        var received = await quick.WaitForAsync(r => r.Count >= committed.Count, "every event of the quiet customer");
        await stop.CancelAsync();
        await noise;

        var delays = received.Select(r => (r.At - committed[r.OrderId]).TotalMilliseconds).Order().ToList();
        var p99 = delays[(int)Math.Ceiling(delays.Count * 0.99) - 1];
        Assert.True(p99 < 2_000, $"The quiet customer's events took {string.Join(", ", delays.Select(d => $"{d:0}"))} ms");
        // Meanwhile the noisy customer's endpoints held what they could, and got nothing through.
        Assert.True(silent.Connections >= 40, $"{silent.Connections} attempts reached the silent endpoint");
    }

    [Fact]
    public async Task ASubscriptionThatKeepsFailingIsPausedItsBacklogKeptAndResumedWhenItAnswers()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => (HttpStatusCode.InternalServerError, TimeSpan.Zero);
        var customer = await Records.CreateCustomerAsync();
        var product = await Records.CreateProductAsync(stock: 100);
        var subscription = (await Subscriptions.SubscribeAsync(receiver, customer, CreatedOnly)).GetProperty("id").GetInt64();
        for (var i = 0; i < 8; i++)
        {
            await Records.PlaceOkAsync(customer, (product, 1));
        }

        // Five failures in a row pause it: its backlog waits for the pause, and nothing more is sent meanwhile.
        var paused = await WaitForPauseAsync(subscription, after: Fixture.EventClock.GetUtcNow());
        var sent = await SettledCountAsync(receiver);
        Assert.InRange(sent, 5, 8);
        Assert.InRange(paused - Fixture.EventClock.GetUtcNow(), TimeSpan.FromSeconds(9), TimeSpan.FromSeconds(11));

        // When the pause ends, one delivery at a time tries the endpoint; a failure pauses it again, twice as long.
        Fixture.EventClock.Advance(TimeSpan.FromSeconds(11));
        var pausedAgain = await WaitForPauseAsync(subscription, after: paused);
        Assert.Equal(sent + 1, await SettledCountAsync(receiver));
        Assert.InRange(pausedAgain - Fixture.EventClock.GetUtcNow(), TimeSpan.FromSeconds(19), TimeSpan.FromSeconds(21));

        // The endpoint answers again: the next try succeeds, the pause ends, and the whole backlog follows.
        receiver.Answer = _ => (HttpStatusCode.OK, TimeSpan.Zero);
        Fixture.EventClock.Advance(TimeSpan.FromSeconds(21));
        var delivered = await receiver.WaitForAsync(r => r.Select(w => w.Id).Distinct().Count() >= 8, "all eight events once it answers");
        Assert.Equal(8, delivered.Select(w => w.OrderId).Distinct().Count());
        var shown = await (await Subscriptions.Operator.GetAsync($"/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, shown.GetProperty("paused_until").ValueKind);
    }

    /// <summary>The subscription's pause once it ends later than <paramref name="after"/>.</summary>
    private async Task<DateTimeOffset> WaitForPauseAsync(long subscription, DateTimeOffset after)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var shown = await (await Subscriptions.Operator.GetAsync($"/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.OK);
            if (shown.GetProperty("paused_until") is { ValueKind: JsonValueKind.String } until
                && DateTimeOffset.Parse(until.GetString()!, System.Globalization.CultureInfo.InvariantCulture) is var end && end > after)
            {
                return end;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Subscription {subscription} was not paused past {after:O} within 30 s: {shown}");
            await Task.Delay(20);
        }
    }

    /// <summary>How many requests the receiver has had, once no more came for half a second (ten dispatcher polls).</summary>
    private static async Task<int> SettledCountAsync(WebhookReceiver receiver)
    {
        var count = receiver.Received.Count;
        while (true)
        {
            await Task.Delay(500);
            if (receiver.Received.Count == count)
            {
                return count;
            }
            count = receiver.Received.Count;
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Waited 30 s for {what}.");
            await Task.Delay(20);
        }
    }
}
