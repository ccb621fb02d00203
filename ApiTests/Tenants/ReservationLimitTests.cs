using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Tenants;

/// <summary>
/// What one customer holds unconfirmed is bounded, so that no client keeps the stock from everyone else: its open
/// CREATED orders (10 by default) and the units they reserve (1,000 by default), or the customer's own limits. An order
/// past a cap is a 409 that names the limit and reserves nothing; staff are not capped. A client's short-stock refusal
/// names the products, never how many are left.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ReservationLimitTests(ServicesFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    private HttpClient ClientOf(long customer) => fixture.AsClient(Resources.OrdersApi, customer);

    private async Task<long> CustomerWithLimitsAsync(int? openOrders, long? reservedUnits)
    {
        var customer = await records.CreateCustomerAsync();
        var current = await (await records.Customers.GetAsync($"/customers/{customer}")).ExpectAsync(HttpStatusCode.OK);
        await (await records.Customers.PutJsonAsync($"/customers/{customer}", new
        {
            name = current.GetProperty("name").GetString(),
            email = current.GetProperty("email").GetString(),
            limits = new { open_orders = openOrders, reserved_units = reservedUnits },
        })).ExpectAsync(HttpStatusCode.OK);
        return customer;
    }

    private static async Task<JsonElement> ExpectOverLimitAsync(HttpResponseMessage response, string limit, long max, long held)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal((limit, max, held), (problem.GetProperty("limit").GetString(), problem.GetProperty("max").GetInt64(), problem.GetProperty("held").GetInt64()));
        Assert.Contains("Nothing was reserved", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }

    [Fact]
    public async Task AClientHoldsAtMostTenOpenOrdersAndTheEleventhReservesNothing()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 100);
        var client = ClientOf(customer);
        var placed = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            placed.Add((await (await records.PlaceAsync(customer, [(product, 1)], client: client)).ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64());
        }

        await ExpectOverLimitAsync(await records.PlaceAsync(customer, [(product, 1)], client: client), "open_orders", max: 10, held: 10);
        Assert.Equal(90, await records.StockAsync(product));
        // Staff are not held to it (their order counts in what the customer holds), and an order confirmed or
        // cancelled holds nothing unconfirmed any more: the client may order again, up to the cap.
        await (await records.PlaceAsync(customer, [(product, 1)])).ExpectAsync(HttpStatusCode.Created);
        await (await records.ConfirmAsync(placed[0], Unique.Token(), client)).ExpectAsync(HttpStatusCode.OK);
        await (await records.CancelAsync(placed[1], client)).ExpectAsync(HttpStatusCode.OK);
        await (await records.PlaceAsync(customer, [(product, 1)], client: client)).ExpectAsync(HttpStatusCode.Created);
        await ExpectOverLimitAsync(await records.PlaceAsync(customer, [(product, 1)], client: client), "open_orders", max: 10, held: 10);
        Assert.Equal(89, await records.StockAsync(product));
    }

    [Fact]
    public async Task TheUnitsAClientsOpenOrdersReserveAreCappedAtAThousand()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 5_000);
        var client = ClientOf(customer);

        await (await records.PlaceAsync(customer, [(product, 600)], client: client)).ExpectAsync(HttpStatusCode.Created);
        await (await records.PlaceAsync(customer, [(product, 400)], client: client)).ExpectAsync(HttpStatusCode.Created);
        var refused = await ExpectOverLimitAsync(await records.PlaceAsync(customer, [(product, 1)], client: client), "reserved_units", max: 1_000, held: 1_000);

        Assert.Equal(1, refused.GetProperty("requested").GetInt64());
        Assert.Equal(4_000, await records.StockAsync(product));
    }

    [Fact]
    public async Task ACustomersOwnLimitsReplaceTheDefaultsAndTheServicesSeeThem()
    {
        var customer = await CustomerWithLimitsAsync(openOrders: 2, reservedUnits: 5);
        var product = await records.CreateProductAsync(stock: 100);
        var client = ClientOf(customer);

        var shown = await (await records.Customers.GetAsync($"/customers/{customer}")).ExpectAsync(HttpStatusCode.OK);
        var looked = await (await fixture.Service(Resources.CustomersApi).GetAsync($"/internal/customers/{customer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"open_orders":2,"reserved_units":5}""", shown.GetProperty("limits").GetRawText());
        Assert.Equal(shown.GetRawText(), looked.GetRawText());

        await ExpectOverLimitAsync(await records.PlaceAsync(customer, [(product, 6)], client: client), "reserved_units", max: 5, held: 0);
        await (await records.PlaceAsync(customer, [(product, 3)], client: client)).ExpectAsync(HttpStatusCode.Created);
        await (await records.PlaceAsync(customer, [(product, 2)], client: client)).ExpectAsync(HttpStatusCode.Created);
        await ExpectOverLimitAsync(await records.PlaceAsync(customer, [(product, 1)], client: client), "open_orders", max: 2, held: 2);
        Assert.Equal(95, await records.StockAsync(product));
    }

    [Fact]
    public async Task LimitsOutOfRangeAreRefusedAndLeavingThemOutRestoresTheDefaults()
    {
        var customer = await CustomerWithLimitsAsync(openOrders: 0, reservedUnits: null);
        var current = await (await records.Customers.GetAsync($"/customers/{customer}")).ExpectAsync(HttpStatusCode.OK);
        var (name, email) = (current.GetProperty("name").GetString(), current.GetProperty("email").GetString());

        await (await records.Customers.PutJsonAsync($"/customers/{customer}", new { name, email, limits = new { open_orders = -1, reserved_units = 2_000_000_000 } }))
            .ExpectValidationProblemAsync("limits.open_orders", "limits.reserved_units");
        await (await records.Customers.PutJsonAsync($"/customers/{customer}", new { name, email, limits = new { open_orders = "3" } }))
            .ExpectValidationProblemAsync("limits.open_orders");
        var product = await records.CreateProductAsync(stock: 10);
        await ExpectOverLimitAsync(await records.PlaceAsync(customer, [(product, 1)], client: ClientOf(customer)), "open_orders", max: 0, held: 0);

        var replaced = await (await records.Customers.PutJsonAsync($"/customers/{customer}", new { name, email })).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("""{"open_orders":null,"reserved_units":null}""", replaced.GetProperty("limits").GetRawText());
        await (await records.PlaceAsync(customer, [(product, 1)], client: ClientOf(customer))).ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AConcurrentBurstOfOneCustomersOrdersCannotPassItsCap()
    {
        var customer = await CustomerWithLimitsAsync(openOrders: 3, reservedUnits: null);
        var product = await records.CreateProductAsync(stock: 100);
        var client = ClientOf(customer);

        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => records.PlaceAsync(customer, [(product, 2)], client: client)));

        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
        {
            await ExpectOverLimitAsync(refused, "open_orders", max: 3, held: 3);
        }
        Assert.Equal(3, (await records.OrdersOfAsync(customer)).Count);
        await records.AssertConservedAsync(new Dictionary<long, long> { [product] = 100 }, customer);
    }

    [Fact]
    public async Task AClientsShortStockRefusalNamesTheProductsButNotHowManyAreLeft()
    {
        var customer = await records.CreateCustomerAsync();
        var plenty = await records.CreateProductAsync(stock: 50);
        var scarce = await records.CreateProductAsync(stock: 3);

        var toClient = await (await records.PlaceAsync(customer, [(plenty, 1), (scarce, 7)], client: ClientOf(customer))).ExpectProblemAsync(HttpStatusCode.Conflict);
        var toOperator = await (await records.PlaceAsync(customer, [(plenty, 1), (scarce, 7)])).ExpectProblemAsync(HttpStatusCode.Conflict);

        var named = Assert.Single(toClient.GetProperty("unavailable").EnumerateArray());
        Assert.Equal($$"""{"product_id":{{scarce}}}""", named.GetRawText());
        Assert.DoesNotMatch("requested|available", toClient.GetProperty("detail").GetString());
        var figures = Assert.Single(toOperator.GetProperty("unavailable").EnumerateArray());
        Assert.Equal((7, 3), (figures.GetProperty("requested").GetInt64(), figures.GetProperty("available").GetInt64()));
        Assert.Equal((50, 3), (await records.StockAsync(plenty), await records.StockAsync(scarce)));
    }

    /// <summary>
    /// Reading a product does not tell a client what a short order's refusal hides: no stock and no version (which
    /// every order of every customer moves), by id or in a page; operators read both.
    /// </summary>
    [Fact]
    public async Task AClientReadsTheCatalogueButNeitherTheStockNorItsMovements()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 3, name: $"Scarce {Unique.Token()}");
        var client = ClientOf(customer);

        var read = await client.GetAsync($"/products/{product}");
        var asRead = await read.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["id", "sku", "name", "price_cents", "created_at", "updated_at"], asRead.EnumerateObject().Select(p => p.Name));
        Assert.Null(read.Headers.ETag);
        var listed = await (await client.GetAsync($"/products?search={Uri.EscapeDataString(asRead.GetProperty("name").GetString()!)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(Assert.Single(listed.GetProperty("data").EnumerateArray()).TryGetProperty("stock", out _));

        var byOperator = await records.Orders.GetAsync($"/products/{product}");
        Assert.Equal(3, (await byOperator.ExpectAsync(HttpStatusCode.OK)).GetProperty("stock").GetInt64());
        Assert.NotNull(byOperator.Headers.ETag);
    }
}
