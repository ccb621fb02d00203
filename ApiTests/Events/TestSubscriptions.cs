using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Events;

/// <summary>
/// A test's webhook subscriptions: made through the API (an operator's, unless another client is given), each ended
/// with the test, so that no later event is sent to a receiver that is gone; and their deliveries, read back until
/// they come to the state a test awaits.
/// </summary>
public sealed class TestSubscriptions(ServicesFixture fixture)
{
    public static readonly string[] AllEvents = ["order.created", "order.confirmed", "order.canceled"];

    private readonly List<(HttpClient Client, long Id)> made = [];

    public HttpClient Operator { get; } = fixture.Operator(Resources.OrdersApi);

    /// <summary>Subscribes <paramref name="url"/> and returns the subscription as created (its secret in it).</summary>
    public async Task<JsonElement> SubscribeAsync(Uri url, long? customerId, string[]? events = null, HttpClient? client = null)
    {
        client ??= Operator;
        var created = await (await client.PostJsonAsync("/webhooks", new { url = url.ToString(), events = events ?? AllEvents, customer_id = customerId }))
            .ExpectAsync(HttpStatusCode.Created);
        Track(client, created.GetProperty("id").GetInt64());
        return created;
    }

    /// <summary>Subscribes a receiver of the test's own, which then checks every signature with the subscription's secret.</summary>
    public async Task<JsonElement> SubscribeAsync(WebhookReceiver receiver, long? customerId, string[]? events = null, HttpClient? client = null)
    {
        var created = await SubscribeAsync(receiver.Url, customerId, events, client);
        receiver.Secret = created.GetProperty("secret").GetString();
        return created;
    }

    /// <summary>A subscription made otherwise, to end with the test as well.</summary>
    public void Track(HttpClient client, long id) => made.Add((client, id));

    /// <summary>The subscription's first delivery once it satisfies <paramref name="condition"/> (at most 30 s).</summary>
    public async Task<JsonElement> WaitForDeliveryAsync(long subscription, Func<JsonElement, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await (await Operator.GetAsync($"/webhooks/{subscription}/deliveries?limit=100")).ExpectAsync(HttpStatusCode.OK);
            if (page.GetProperty("data").EnumerateArray().FirstOrDefault(condition) is { ValueKind: JsonValueKind.Object } delivery)
            {
                return delivery;
            }
            Assert.True(DateTime.UtcNow < deadline, $"No delivery of subscription {subscription} came to the awaited state within 30 s: {page}");
            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Whether a delivery's attempt number <paramref name="attempts"/> has failed and been recorded: its retry is set
    /// after the dispatcher's now (an attempt is counted when it is claimed, before it is made; the clock must not move
    /// before its outcome is written, or the retry would be set after the moved clock).
    /// </summary>
    public bool FailureRecorded(JsonElement delivery, int attempts) =>
        delivery.GetProperty("attempts").GetInt32() == attempts && delivery.GetProperty("status").GetString() == "pending"
        && DateTimeOffset.Parse(delivery.GetProperty("next_attempt_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > fixture.EventClock.GetUtcNow();

    /// <summary>Deletes every subscription the test made (with its deliveries): for the test's own DisposeAsync.</summary>
    public async Task EndAllAsync()
    {
        foreach (var (client, id) in made)
        {
            await client.DeleteAsync($"/webhooks/{id}");
        }
    }
}
