using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;
using Challenge.Identity;

namespace Challenge.ApiTests.Tenants;

/// <summary>
/// A client is one business: its token names the customer it acts for, and it reaches that customer's orders only.
/// Operators are staff and reach every customer's. Each refused call is checked to have created, moved or told nothing.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class TenantTests(ServicesFixture fixture)
{
    private const string Orchestrate = "/orchestrator/create-and-confirm-order";

    private readonly TestRecords records = new(fixture);

    private static object Order(long customerId, long productId, long qty = 1, string? key = null) => new
    {
        customer_id = customerId,
        items = new[] { new { product_id = productId, qty } },
        idempotency_key = key ?? Unique.Token(),
    };

    [Fact]
    public async Task AClientOrdersThroughTheOrchestratorForItsOwnCustomerOnlyAndLearnsNothingOfAnother()
    {
        var own = await records.CreateCustomerAsync();
        var other = await records.CreateCustomerAsync();
        var otherCustomer = await (await records.Customers.GetAsync($"/customers/{other}")).ExpectAsync(HttpStatusCode.OK);
        var product = await records.CreateProductAsync(stock: 10);
        var client = fixture.AsClient(Resources.Orchestrator, own);

        var refused = await client.PostJsonAsync(Orchestrate, Order(other, product, qty: 4));

        var problem = await refused.ExpectProblemAsync(HttpStatusCode.Forbidden);
        var text = problem.GetRawText();
        Assert.DoesNotContain(otherCustomer.GetProperty("name").GetString()!, text, StringComparison.Ordinal);
        Assert.DoesNotContain(otherCustomer.GetProperty("email").GetString()!, text, StringComparison.Ordinal);
        Assert.False(problem.TryGetProperty("step", out _));
        Assert.Empty(await records.OrdersOfAsync(other));
        Assert.Equal(10, await records.StockAsync(product));

        var accepted = await (await client.PostJsonAsync(Orchestrate, Order(own, product, qty: 4))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(own, accepted.GetProperty("data").GetProperty("customer").GetProperty("id").GetInt64());
        Assert.Equal(6, await records.StockAsync(product));
    }

    [Fact]
    public async Task AClientTokenThatNamesNoCustomerIsRefusedEverywhere()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        Task<HttpResponseMessage> As(string resource, Func<HttpClient, Task<HttpResponseMessage>> call) =>
            call(fixture.Client(resource, fixture.CreateToken(Roles.Client, resource, subject: "client-without-a-customer")));

        await (await As(Resources.Orchestrator, c => c.PostJsonAsync(Orchestrate, Order(customer, product)))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await As(Resources.OrdersApi, c => c.GetAsync($"/orders?customer_id={customer}"))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await As(Resources.OrdersApi, c => c.GetAsync($"/products/{product}"))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await records.OrdersOfAsync(customer));
        Assert.Equal(10, await records.StockAsync(product));
    }

    [Fact]
    public async Task OnlyAClientTokenNamesACustomer()
    {
        var customer = await records.CreateCustomerAsync();
        var operatorWithACustomer = fixture.CreateToken(Roles.Operator, Resources.OrdersApi, customerId: customer);

        await (await fixture.Client(Resources.OrdersApi, operatorWithACustomer).GetAsync("/orders")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AClientReadsListsAndCancelsItsOwnOrdersAndNeverAnothers()
    {
        var own = await records.CreateCustomerAsync();
        var other = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 20);
        var ownOrder = (await records.PlaceOkAsync(own, (product, 2))).GetProperty("id").GetInt64();
        var othersOrder = (await records.PlaceOkAsync(other, (product, 3))).GetProperty("id").GetInt64();
        var client = fixture.AsClient(Resources.OrdersApi, own);

        await (await client.GetAsync($"/orders/{ownOrder}")).ExpectAsync(HttpStatusCode.OK);
        // Another customer's order does not exist for this client: the same answer as an unknown id.
        var hidden = await (await client.GetAsync($"/orders/{othersOrder}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var unknown = await (await client.GetAsync($"/orders/{long.MaxValue}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(unknown.GetProperty("title").GetString(), hidden.GetProperty("title").GetString());

        // Whatever the query says, a list holds the client's own orders and nothing else.
        foreach (var query in new[] { "/orders?limit=100", $"/orders?customer_id={other}", $"/orders?customer_id={own}" })
        {
            var page = await (await client.GetAsync(query)).ExpectAsync(HttpStatusCode.OK);
            Assert.All(page.GetProperty("data").EnumerateArray(), o => Assert.Equal(own, o.GetProperty("customer_id").GetInt64()));
            Assert.DoesNotContain(page.GetProperty("data").EnumerateArray(), o => o.GetProperty("id").GetInt64() == othersOrder);
        }

        await (await client.PostAsync($"/orders/{othersOrder}/cancel", null)).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await records.ConfirmAsync(othersOrder, Unique.Token(), client)).ExpectProblemAsync(HttpStatusCode.NotFound);
        var untouched = await (await records.Orders.GetAsync($"/orders/{othersOrder}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("CREATED", untouched.GetProperty("status").GetString());
        Assert.Equal(15, await records.StockAsync(product));

        await (await records.ConfirmAsync(ownOrder, Unique.Token(), client)).ExpectAsync(HttpStatusCode.OK);
        var canceled = await (await client.PostAsync($"/orders/{ownOrder}/cancel", null)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("CANCELED", canceled.GetProperty("status").GetString());
        Assert.Equal(17, await records.StockAsync(product));
    }

    [Fact]
    public async Task AClientPlacesOrdersForItsOwnCustomerOnly()
    {
        var own = await records.CreateCustomerAsync();
        var other = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var client = fixture.AsClient(Resources.OrdersApi, own);

        await (await records.PlaceAsync(other, [(product, 2)], Unique.Token(), client)).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await records.OrdersOfAsync(other));
        Assert.Equal(10, await records.StockAsync(product));

        await (await records.PlaceAsync(own, [(product, 2)], Unique.Token(), client)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(8, await records.StockAsync(product));
    }

    [Fact]
    public async Task AClientReadsProductsButChangesNoProductAndNoCustomer()
    {
        var own = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10, name: "Before");
        var orders = fixture.AsClient(Resources.OrdersApi, own);
        var customers = fixture.AsClient(Resources.CustomersApi, own);

        await (await orders.GetAsync($"/products/{product}")).ExpectAsync(HttpStatusCode.OK);
        await (await orders.GetAsync("/products?limit=5")).ExpectAsync(HttpStatusCode.OK);
        await (await orders.PostJsonAsync("/products", new { sku = $"SKU-{Unique.Token()}", name = "Mine", price_cents = 1, stock = 1 }))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await orders.PatchAsync($"/products/{product}", JsonContent(new { name = "After", stock = 1_000 }))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customers.PostJsonAsync("/customers", new { name = "Mine", email = Unique.Email() })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customers.PutJsonAsync($"/customers/{own}", new { name = "Renamed", email = Unique.Email() })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await customers.DeleteAsync($"/customers/{own}")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        var unchanged = await (await records.Orders.GetAsync($"/products/{product}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("Before", 10L), (unchanged.GetProperty("name").GetString(), unchanged.GetProperty("stock").GetInt64()));
        await (await records.Customers.GetAsync($"/customers/{own}")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task OneSubjectActingForTwoCustomersKeepsEachCustomersKeysApart()
    {
        // One integration (one token subject) acting for two businesses: a key one of them used replays nothing of
        // its order to the other.
        var first = await records.CreateCustomerAsync();
        var second = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var forFirst = fixture.AsClient(Resources.OrdersApi, first, subject: "integration");
        var forSecond = fixture.AsClient(Resources.OrdersApi, second, subject: "integration");
        var firstsOrder = (await records.PlaceOkAsync(first, (product, 2))).GetProperty("id").GetInt64();
        var key = Unique.Token();
        await (await records.ConfirmAsync(firstsOrder, key, forFirst)).ExpectAsync(HttpStatusCode.OK);

        var refused = await (await records.ConfirmAsync(firstsOrder, key, forSecond)).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.False(refused.TryGetProperty("customer_id", out _) || refused.TryGetProperty("items", out _), refused.GetRawText());
        var orchestrator = (long customer) => fixture.AsClient(Resources.Orchestrator, customer, subject: "integration");
        var orchestrationKey = Unique.Token();
        await (await orchestrator(first).PostJsonAsync(Orchestrate, Order(first, product, key: orchestrationKey))).ExpectAsync(HttpStatusCode.Created);
        var seconds = await (await orchestrator(second).PostJsonAsync(Orchestrate, Order(second, product, key: orchestrationKey))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(second, seconds.GetProperty("data").GetProperty("customer").GetProperty("id").GetInt64());
        Assert.Single(await records.OrdersOfAsync(second));
        Assert.Equal(6, await records.StockAsync(product));
    }

    [Fact]
    public async Task AnOperatorReachesEveryCustomersOrders()
    {
        var first = await records.CreateCustomerAsync();
        var second = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var orchestrator = fixture.Operator(Resources.Orchestrator);

        await (await orchestrator.PostJsonAsync(Orchestrate, Order(first, product))).ExpectAsync(HttpStatusCode.Created);
        await (await orchestrator.PostJsonAsync(Orchestrate, Order(second, product))).ExpectAsync(HttpStatusCode.Created);
        var secondsOrder = (await records.OrdersOfAsync(second)).Single().GetProperty("id").GetInt64();

        await (await records.Orders.GetAsync($"/orders/{secondsOrder}")).ExpectAsync(HttpStatusCode.OK);
        await (await records.CancelAsync(secondsOrder)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(9, await records.StockAsync(product));
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, HttpAssertions.Json), System.Text.Encoding.UTF8, "application/json");
}
