using System.Globalization;
using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Orders;

[Collection(ServicesCollection.Name)]
public sealed class OrdersApiTests(ServicesFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    [Fact]
    public async Task AKeyUsedByOneCallerIsAFreshKeyForAnotherWhoNeitherReplaysNorLearnsOfIt()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        HttpClient Caller(string name) => fixture.Client(Resources.OrdersApi, fixture.CreateToken("operator", Resources.OrdersApi, subject: name));
        var alice = Caller("operator-alice");
        var first = await (await records.PlaceAsync(customer, [(product, 1)], key, alice)).ExpectAsync(HttpStatusCode.Created);

        // The same key and the same order from someone else: a new order, not Alice's replayed.
        var same = await records.PlaceAsync(customer, [(product, 1)], key, Caller("operator-bob"));
        // The same key and another order from someone else: a new order, no 422 that would reveal Alice's use of it.
        var other = await records.PlaceAsync(customer, [(product, 2)], key, Caller("operator-carol"));

        Assert.False(same.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(first.GetProperty("id").GetInt64(), (await same.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64());
        await other.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(6, await records.StockAsync(product));
        // Alice's key is still hers: her retry replays her order.
        var replay = await records.PlaceAsync(customer, [(product, 1)], key, alice);
        Assert.Equal(first.GetProperty("id").GetInt64(), (await replay.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64());
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task CreatingAnOrderReservesStockPricesTheLinesAndMergesTheSameProduct()
    {
        var customer = await records.CreateCustomerAsync();
        var mouse = await records.CreateProductAsync(stock: 50, priceCents: 5_000);
        var laptop = await records.CreateProductAsync(stock: 10, priceCents: 150_000);

        var response = await records.PlaceAsync(customer, [(mouse, 3), (laptop, 1), (mouse, 2)]);

        var order = await response.ExpectAsync(HttpStatusCode.Created);
        var id = order.GetProperty("id").GetInt64();
        Assert.Equal($"/orders/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(["id", "customer_id", "status", "total_cents", "items", "created_at", "confirmed_at", "canceled_at"],
            order.EnumerateObject().Select(p => p.Name));
        Assert.Equal("CREATED", order.GetProperty("status").GetString());
        Assert.Equal(customer, order.GetProperty("customer_id").GetInt64());
        Assert.Equal(5 * 5_000 + 150_000, order.GetProperty("total_cents").GetInt64());
        HttpAssertions.AssertTimestamp(order.GetProperty("created_at"));
        Assert.Equal(JsonValueKind.Null, order.GetProperty("confirmed_at").ValueKind);
        var items = order.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(new[] { mouse, laptop }.Order(), items.Select(i => i.GetProperty("product_id").GetInt64()));
        var mouseLine = items.Single(i => i.GetProperty("product_id").GetInt64() == mouse);
        Assert.Equal(["product_id", "sku", "name", "qty", "unit_price_cents", "subtotal_cents"], mouseLine.EnumerateObject().Select(p => p.Name));
        Assert.Equal((5L, 5_000L, 25_000L), (mouseLine.GetProperty("qty").GetInt64(), mouseLine.GetProperty("unit_price_cents").GetInt64(), mouseLine.GetProperty("subtotal_cents").GetInt64()));
        Assert.Equal(45, await records.StockAsync(mouse));
        Assert.Equal(9, await records.StockAsync(laptop));
        var fetched = await (await records.Orders.GetAsync($"/orders/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(order.GetRawText(), fetched.GetRawText());
    }

    [Fact]
    public async Task AnOrderKeepsThePriceAndNameItWasPlacedAtAfterTheProductChanges()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 5, priceCents: 1_000, name: "Old name");
        var order = await records.PlaceOkAsync(customer, (product, 2));

        await records.Orders.PatchAsync($"/products/{product}", new StringContent("""{"price_cents":9999,"name":"New name"}""", System.Text.Encoding.UTF8, "application/json"));

        var fetched = await (await records.Orders.GetAsync($"/orders/{order.GetProperty("id")}")).ExpectAsync(HttpStatusCode.OK);
        var line = fetched.GetProperty("items")[0];
        Assert.Equal(1_000, line.GetProperty("unit_price_cents").GetInt64());
        Assert.Equal("Old name", line.GetProperty("name").GetString());
        Assert.Equal(2_000, fetched.GetProperty("total_cents").GetInt64());
    }

    public static TheoryData<string, string> InvalidOrders => new()
    {
        { """{"items":[{"product_id":1,"qty":1}]}""", "customer_id" },
        { """{"customer_id":0,"items":[{"product_id":1,"qty":1}]}""", "customer_id" },
        { """{"customer_id":1}""", "items" },
        { """{"customer_id":1,"items":[]}""", "items" },
        { $$"""{"customer_id":1,"items":[{{string.Join(',', Enumerable.Range(1, 101).Select(i => $$"""{"product_id":{{i}},"qty":1}"""))}}]}""", "items" },
        { """{"customer_id":1,"items":[{"product_id":1,"qty":0}]}""", "items[0].qty" },
        { """{"customer_id":1,"items":[{"product_id":1,"qty":1},{"product_id":1,"qty":1000001}]}""", "items[1].qty" },
        { """{"customer_id":1,"items":[{"product_id":-1,"qty":1}]}""", "items[0].product_id" },
        { """{"customer_id":1,"items":[{"qty":1}]}""", "items[0].product_id" },
        { """{"customer_id":1,"items":[null]}""", "items[0]" },
        { """{"customer_id":1,"items":[{"product_id":1,"qty":"2"}]}""", "items[0].qty" },
        { """{"customer_id":"1","items":[{"product_id":1,"qty":1}]}""", "customer_id" },
        { """{"customer_id":1,"items":{"product_id":1,"qty":1}}""", "items" },
    };

    [Theory]
    [MemberData(nameof(InvalidOrders))]
    public async Task AnInvalidOrderIsRefusedWithAProblemNamingTheField(string body, string field)
    {
        await (await records.Orders.PostRawAsync("/orders", body)).ExpectValidationProblemAsync(field);
    }

    [Fact]
    public async Task AnUnknownCustomerCannotOrderAndNoStockMoves()
    {
        var product = await records.CreateProductAsync(stock: 5);

        var response = await records.PlaceAsync(long.MaxValue, [(product, 1)]);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("Customer", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, await records.StockAsync(product));
    }

    [Fact]
    public async Task ADeletedCustomerCannotOrderButTheirOrdersStayReadable()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 5);
        var earlier = await records.PlaceOkAsync(customer, (product, 1));
        await records.Customers.DeleteAsync($"/customers/{customer}");

        await (await records.PlaceAsync(customer, [(product, 1)])).ExpectProblemAsync(HttpStatusCode.NotFound);

        await (await records.Orders.GetAsync($"/orders/{earlier.GetProperty("id")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(4, await records.StockAsync(product));
    }

    [Fact]
    public async Task AnUnknownProductRefusesTheWholeOrder()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 5);

        var response = await records.PlaceAsync(customer, [(product, 2), (long.MaxValue, 1)]);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(5, await records.StockAsync(product));
        Assert.Empty(await records.OrdersOfAsync(customer));
    }

    [Fact]
    public async Task InsufficientStockRefusesTheWholeOrderAndSaysWhatIsAvailable()
    {
        var customer = await records.CreateCustomerAsync();
        var plenty = await records.CreateProductAsync(stock: 100);
        var scarce = await records.CreateProductAsync(stock: 2);

        var response = await records.PlaceAsync(customer, [(plenty, 10), (scarce, 3)]);

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("2 available", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var unavailable = problem.GetProperty("unavailable").EnumerateArray().Single();
        Assert.Equal((scarce, 3L, 2L), (unavailable.GetProperty("product_id").GetInt64(), unavailable.GetProperty("requested").GetInt64(), unavailable.GetProperty("available").GetInt64()));
        Assert.Equal(100, await records.StockAsync(plenty));
        Assert.Equal(2, await records.StockAsync(scarce));
    }

    [Fact]
    public async Task AnOrderWhoseTotalWouldOverflowIsRefusedAndNoStockMoves()
    {
        var customer = await records.CreateCustomerAsync();
        var costly = await records.CreateProductAsync(stock: 1_000_000_000, priceCents: 100_000_000_000);
        var lines = Enumerable.Range(0, 100).Select(_ => (costly, 1_000_000L));

        var response = await records.PlaceAsync(customer, lines);

        await response.ExpectValidationProblemAsync("items");
        Assert.Equal(1_000_000_000, await records.StockAsync(costly));
    }

    [Fact]
    public async Task AnUnknownOrderIsNotFound()
    {
        await (await records.Orders.GetAsync($"/orders/{long.MaxValue}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await records.ConfirmAsync(long.MaxValue, Unique.Token())).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await records.CancelAsync(long.MaxValue)).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListingFiltersByStatusCustomerAndTimeAndWalksPages()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 20);
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64());
        }
        var confirmed = await (await records.ConfirmAsync(ids[1], Unique.Token())).ExpectAsync(HttpStatusCode.OK);
        var createdAt = DateTime.Parse(confirmed.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

        async Task<List<long>> IdsAsync(string query) =>
            (await (await records.Orders.GetAsync($"/orders?customer_id={customer}&{query}")).ExpectAsync(HttpStatusCode.OK))
                .GetProperty("data").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()).ToList();

        Assert.Equal(ids, await IdsAsync("limit=10"));
        Assert.Equal([ids[1]], await IdsAsync("status=CONFIRMED"));
        Assert.Equal([ids[0], ids[2]], await IdsAsync("status=created"));
        Assert.Equal([ids[1]], await IdsAsync($"status=CONFIRMED&from={createdAt:O}"));
        Assert.Empty(await IdsAsync("to=2000-01-01T00:00:00Z"));
        Assert.Equal(ids, await IdsAsync($"from={createdAt.AddMinutes(-5):O}&to={DateTime.UtcNow.AddMinutes(5):O}"));
        var firstPage = await (await records.Orders.GetAsync($"/orders?customer_id={customer}&limit=2")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(ids[1], firstPage.GetProperty("next_cursor").GetInt64());
        Assert.Equal([ids[2]], await IdsAsync($"limit=2&cursor={ids[1]}"));
    }

    /// <summary>
    /// A time without an offset is UTC, as every time the API writes, whatever the server's time zone (here five hours
    /// behind UTC for the test's length).
    /// </summary>
    [Fact]
    public async Task ATimeWithoutAnOffsetIsUtcWhateverTheServersTimeZone()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 5);
        var order = await records.PlaceOkAsync(customer, (product, 1));
        var createdAt = DateTime.Parse(order.GetProperty("created_at").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal);
        var unmarked = createdAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff", CultureInfo.InvariantCulture);

        async Task<int> CountAsync(string query) =>
            (await (await records.Orders.GetAsync($"/orders?customer_id={customer}&{query}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("data").GetArrayLength();

        var zone = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", "Etc/GMT+5");
        TimeZoneInfo.ClearCachedData();
        try
        {
            Assert.Equal(TimeSpan.FromHours(-5), TimeZoneInfo.Local.BaseUtcOffset);
            Assert.Equal(1, await CountAsync($"from={unmarked}"));
            Assert.Equal(0, await CountAsync($"to={unmarked}"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", zone);
            TimeZoneInfo.ClearCachedData();
        }
    }

    /// <summary>The newest first (the console's orders list): pages counting down from the newest, the filters as ever.</summary>
    [Fact]
    public async Task OrdersListTheNewestFirstPageByPage()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 20);
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64());
        }
        ids.Reverse();

        var seen = new List<long>();
        var cursor = 0L;
        do
        {
            var page = await (await records.Orders.GetAsync($"/orders?customer_id={customer}&sort=-id&limit=2&cursor={cursor}")).ExpectAsync(HttpStatusCode.OK);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("next_cursor").ValueKind == System.Text.Json.JsonValueKind.Null ? 0 : page.GetProperty("next_cursor").GetInt64();
        }
        while (cursor != 0);

        Assert.Equal(ids, seen);
        // A client's newest first is its own only.
        var other = await records.CreateCustomerAsync();
        var own = await (await fixture.AsClient(Resources.OrdersApi, other).GetAsync("/orders?sort=-id&limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(own.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("status=SHIPPED", "status")]
    [InlineData("customer_id=abc", "customer_id")]
    [InlineData("customer_id=0", "customer_id")]
    [InlineData("from=yesterday", "from")]
    [InlineData("to=2026-13-45", "to")]
    [InlineData("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("limit=101", "limit")]
    [InlineData("sort=created_at", "sort")]
    public async Task ABadListFilterIsRefused(string query, string field)
    {
        await (await records.Orders.GetAsync($"/orders?{query}")).ExpectValidationProblemAsync(field);
    }
}
