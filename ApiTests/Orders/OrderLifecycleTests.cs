using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Orders;

[Collection(ServicesCollection.Name)]
public sealed class OrderLifecycleTests(ServicesFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    private async Task<(long Customer, long Product, long Order)> PlacedOrderAsync(long stock = 10, long qty = 2)
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock);
        var order = await records.PlaceOkAsync(customer, (product, qty));
        return (customer, product, order.GetProperty("id").GetInt64());
    }

    private static bool IsReplay(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Idempotent-Replayed", out var values) && values.Single() == "true";

    [Fact]
    public async Task ConfirmingACreatedOrderConfirmsIt()
    {
        var (_, product, order) = await PlacedOrderAsync();

        var confirmed = await (await records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("CONFIRMED", confirmed.GetProperty("status").GetString());
        HttpAssertions.AssertTimestamp(confirmed.GetProperty("confirmed_at"));
        Assert.Equal(8, await records.StockAsync(product));
    }

    [Fact]
    public async Task ConfirmingNeedsAnIdempotencyKey()
    {
        var (_, _, order) = await PlacedOrderAsync();

        await (await records.ConfirmAsync(order, key: null)).ExpectValidationProblemAsync("Idempotency-Key");

        var fetched = await (await records.Orders.GetAsync($"/orders/{order}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("CREATED", fetched.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ConfirmingAConfirmedOrderWithAnotherKeyAnswersItAsItIs()
    {
        var (_, _, order) = await PlacedOrderAsync();
        var first = await (await records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);

        var second = await records.ConfirmAsync(order, Unique.Token());

        Assert.False(IsReplay(second));
        Assert.Equal(first.GetRawText(), (await second.ExpectAsync(HttpStatusCode.OK)).GetRawText());
    }

    [Fact]
    public async Task AConfirmationReplayedWithItsKeyAnswersTheStoredResponseEvenAfterACancel()
    {
        var (_, _, order) = await PlacedOrderAsync();
        var key = Unique.Token();
        var first = await records.ConfirmAsync(order, key);
        var firstBody = await first.Content.ReadAsStringAsync();
        await (await records.CancelAsync(order)).ExpectAsync(HttpStatusCode.OK);

        var replay = await records.ConfirmAsync(order, key);

        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.True(IsReplay(replay));
        Assert.Equal(firstBody, await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AConfirmationKeyReusedForAnotherOrderIsRefusedAndNothingHappens()
    {
        var (_, _, first) = await PlacedOrderAsync();
        var (_, _, second) = await PlacedOrderAsync();
        var key = Unique.Token();
        await (await records.ConfirmAsync(first, key)).ExpectAsync(HttpStatusCode.OK);

        await (await records.ConfirmAsync(second, key)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        var untouched = await (await records.Orders.GetAsync($"/orders/{second}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("CREATED", untouched.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ACanceledOrderCannotBeConfirmedAndTheKeyStaysFree()
    {
        var (_, _, order) = await PlacedOrderAsync();
        await records.CancelAsync(order);
        var key = Unique.Token();

        await (await records.ConfirmAsync(order, key)).ExpectProblemAsync(HttpStatusCode.Conflict);

        // Only successes are stored: the same key on another order is not "reused elsewhere".
        var (_, _, other) = await PlacedOrderAsync();
        await (await records.ConfirmAsync(other, key)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CancelingACreatedOrderRestoresItsStockOnceHoweverOftenItIsRetried()
    {
        var (_, product, order) = await PlacedOrderAsync(stock: 10, qty: 4);

        var canceled = await (await records.CancelAsync(order)).ExpectAsync(HttpStatusCode.OK);
        var again = await (await records.CancelAsync(order)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("CANCELED", canceled.GetProperty("status").GetString());
        HttpAssertions.AssertTimestamp(canceled.GetProperty("canceled_at"));
        Assert.Equal(canceled.GetRawText(), again.GetRawText());
        Assert.Equal(10, await records.StockAsync(product));
    }

    [Fact]
    public async Task AConfirmedOrderCanBeCanceledWithinTheWindow()
    {
        var (_, product, order) = await PlacedOrderAsync(stock: 10, qty: 3);
        await (await records.ConfirmAsync(order, Unique.Token())).ExpectAsync(HttpStatusCode.OK);

        var canceled = await (await records.CancelAsync(order)).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("CANCELED", canceled.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, canceled.GetProperty("confirmed_at").ValueKind);
        Assert.Equal(10, await records.StockAsync(product));
    }

    /// <summary>The window is measured on the Orders API's clock: one moved on by the test, not waited for.</summary>
    [Fact]
    public async Task AConfirmedOrderCannotBeCanceledOnceTheWindowIsOver()
    {
        var client = fixture.Host(Instances.OrdersApiOnTheClock).Client(fixture.CreateToken("operator", Resources.OrdersApi));
        var (_, product, order) = await PlacedOrderAsync(stock: 10, qty: 3);
        var (_, _, lastMinute) = await PlacedOrderAsync(stock: 10, qty: 1);
        await (await records.ConfirmAsync(order, Unique.Token(), client)).ExpectAsync(HttpStatusCode.OK);
        fixture.OrderClock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        await (await records.ConfirmAsync(lastMinute, Unique.Token(), client)).ExpectAsync(HttpStatusCode.OK);
        fixture.OrderClock.Advance(TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(1));

        var problem = await (await records.CancelAsync(order, client)).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("confirmed at", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var fetched = await (await records.Orders.GetAsync($"/orders/{order}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("CONFIRMED", fetched.GetProperty("status").GetString());
        Assert.Equal(7, await records.StockAsync(product));
        // Confirmed a second short of ten minutes before: still within its window.
        await (await records.CancelAsync(lastMinute, client)).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ACreateReplayedWithItsKeyAnswersTheSameOrderAndMovesNoMoreStock()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();

        var first = await records.PlaceAsync(customer, [(product, 2)], key);
        var replay = await records.PlaceAsync(customer, [(product, 2)], key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.False(IsReplay(first));
        Assert.True(IsReplay(replay));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Single(await records.OrdersOfAsync(customer));
        Assert.Equal(8, await records.StockAsync(product));
    }

    [Fact]
    public async Task TheSameOrderWithItsLinesInAnotherOrderIsTheSameRequest()
    {
        var customer = await records.CreateCustomerAsync();
        var a = await records.CreateProductAsync(stock: 10);
        var b = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        await records.PlaceAsync(customer, [(a, 1), (b, 2)], key);

        var replay = await records.PlaceAsync(customer, [(b, 2), (a, 1)], key);

        Assert.True(IsReplay(replay));
        Assert.Single(await records.OrdersOfAsync(customer));
    }

    [Fact]
    public async Task ACreateKeyReusedForAnotherRequestIsRefusedAndNothingHappens()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        await records.PlaceAsync(customer, [(product, 2)], key);

        await (await records.PlaceAsync(customer, [(product, 3)], key)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.Single(await records.OrdersOfAsync(customer));
        Assert.Equal(8, await records.StockAsync(product));
    }

    [Fact]
    public async Task AFailedCreateLeavesItsKeyFreeForACorrectedRetry()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 3);
        var key = Unique.Token();

        await (await records.PlaceAsync(customer, [(product, 5)], key)).ExpectProblemAsync(HttpStatusCode.Conflict);
        var corrected = await records.PlaceAsync(customer, [(product, 3)], key);

        await corrected.ExpectAsync(HttpStatusCode.Created);
        Assert.False(IsReplay(corrected));
        Assert.Equal(0, await records.StockAsync(product));
    }

    [Fact]
    public async Task TheXIdempotencyKeyHeaderIsAcceptedAsASynonym()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();

        async Task<HttpResponseMessage> PlaceWithSynonymAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
            {
                Content = new StringContent($$"""{"customer_id":{{customer}},"items":[{"product_id":{{product}},"qty":1}]}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Idempotency-Key", key);
            return await records.Orders.SendAsync(request);
        }

        await (await PlaceWithSynonymAsync()).ExpectAsync(HttpStatusCode.Created);
        Assert.True(IsReplay(await PlaceWithSynonymAsync()));
        Assert.Equal(9, await records.StockAsync(product));
    }

    [Theory]
    [InlineData("both")]
    [InlineData("too long")]
    [InlineData("control")]
    public async Task AMalformedIdempotencyKeyIsRefused(string kind)
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent($$"""{"customer_id":{{customer}},"items":[{"product_id":{{product}},"qty":1}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        switch (kind)
        {
            case "both":
                request.Headers.Add("Idempotency-Key", "one");
                request.Headers.Add("X-Idempotency-Key", "two");
                break;
            case "too long":
                request.Headers.Add("Idempotency-Key", new string('k', 256));
                break;
            default:
                request.Headers.TryAddWithoutValidation("Idempotency-Key", "bad\u007fkey");
                break;
        }

        await (await records.Orders.SendAsync(request)).ExpectValidationProblemAsync("Idempotency-Key");
        Assert.Equal(10, await records.StockAsync(product));
    }
}
