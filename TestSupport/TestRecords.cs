using System.Net;
using System.Text.Json;
using Challenge.StackHarness;
using Dapper;
using MySqlConnector;

namespace Challenge.TestSupport;

/// <summary>
/// The test's own customers, products and orders, made through the public APIs with operator tokens, and the
/// invariants read back through them.
/// </summary>
public sealed class TestRecords(ITestServices services)
{
    public HttpClient Customers { get; } = services.Operator(Resources.CustomersApi);

    public HttpClient Orders { get; } = services.Operator(Resources.OrdersApi);

    public async Task<long> CreateCustomerAsync()
    {
        var created = await (await Customers.PostJsonAsync("/customers", new { name = $"Buyer {Unique.Token()}", email = Unique.Email("buyer") }))
            .ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    public async Task<long> CreateProductAsync(long stock, long priceCents = 1_000, string? name = null)
    {
        var created = await (await Orders.PostJsonAsync("/products", new
        {
            sku = $"SKU-{Unique.Token()}",
            name = name ?? $"Product {Unique.Token()}",
            price_cents = priceCents,
            stock,
        })).ExpectAsync(HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    public Task<HttpResponseMessage> PlaceAsync(long customerId, IEnumerable<(long ProductId, long Qty)> items, string? key = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = JsonContent(new { customer_id = customerId, items = items.Select(i => new { product_id = i.ProductId, qty = i.Qty }) }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return (client ?? Orders).SendAsync(request);
    }

    public async Task<JsonElement> PlaceOkAsync(long customerId, params (long ProductId, long Qty)[] items) =>
        await (await PlaceAsync(customerId, items)).ExpectAsync(HttpStatusCode.Created);

    public Task<HttpResponseMessage> ConfirmAsync(long orderId, string? key, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/orders/{orderId}/confirm");
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }
        return (client ?? Orders).SendAsync(request);
    }

    public Task<HttpResponseMessage> CancelAsync(long orderId, HttpClient? client = null) =>
        (client ?? Orders).PostAsync($"/orders/{orderId}/cancel", null);

    public async Task<long> StockAsync(long productId) =>
        (await (await Orders.GetAsync($"/products/{productId}")).ExpectAsync(HttpStatusCode.OK)).GetProperty("stock").GetInt64();

    /// <summary>Every order of a customer, walking all the pages.</summary>
    public async Task<List<JsonElement>> OrdersOfAsync(long customerId)
    {
        var orders = new List<JsonElement>();
        long? cursor = null;
        do
        {
            var page = await (await Orders.GetAsync($"/orders?customer_id={customerId}&limit=100{(cursor is null ? "" : $"&cursor={cursor}")}"))
                .ExpectAsync(HttpStatusCode.OK);
            orders.AddRange(page.GetProperty("data").EnumerateArray());
            cursor = page.GetProperty("next_cursor") is { ValueKind: JsonValueKind.Number } next ? next.GetInt64() : null;
        }
        while (cursor is not null);
        return orders;
    }

    /// <summary>Units of a product held by the customer's CREATED and CONFIRMED orders.</summary>
    public async Task<long> HeldAsync(long customerId, long productId) =>
        (await OrdersOfAsync(customerId))
            .Where(o => o.GetProperty("status").GetString() is "CREATED" or "CONFIRMED")
            .SelectMany(o => o.GetProperty("items").EnumerateArray())
            .Where(i => i.GetProperty("product_id").GetInt64() == productId)
            .Sum(i => i.GetProperty("qty").GetInt64());

    /// <summary>
    /// Stock is never lost nor invented: initial stock = stock left + units held by live orders, for every product
    /// (the customers given own every order placed on these products).
    /// </summary>
    public async Task AssertConservedAsync(IReadOnlyDictionary<long, long> initialStock, params long[] customerIds)
    {
        var held = (await Task.WhenAll(customerIds.Select(OrdersOfAsync))).SelectMany(orders => orders)
            .Where(o => o.GetProperty("status").GetString() is "CREATED" or "CONFIRMED")
            .SelectMany(o => o.GetProperty("items").EnumerateArray())
            .GroupBy(i => i.GetProperty("product_id").GetInt64())
            .ToDictionary(g => g.Key, g => g.Sum(i => i.GetProperty("qty").GetInt64()));
        foreach (var (productId, initial) in initialStock)
        {
            var stock = await StockAsync(productId);
            Assert.True(stock >= 0, $"product {productId} has negative stock {stock}");
            Assert.Equal(initial, stock + held.GetValueOrDefault(productId));
        }
    }

    /// <summary>A count straight from the Orders API's database, for what its HTTP API does not show (keys, every order).</summary>
    public async Task<long> CountInOrdersDbAsync(string sql, object parameters)
    {
        await using var connection = new MySqlConnection(await services.ConnectionStringAsync(RunningStack.OrdersDb));
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    /// <summary>
    /// Idempotency records that answered for a customer (keys are stored hashed with their caller, so the customer,
    /// whom only one test orders for, is what finds them), optionally of one operation.
    /// </summary>
    public Task<long> CountKeyRecordsOfAsync(long customer, string? operation = null) => CountInOrdersDbAsync("""
        SELECT COUNT(*) FROM idempotency_keys
        WHERE (response_body LIKE CONCAT('%"customer":{"id":', @customer, ',%') OR response_body LIKE CONCAT('%"customer_id":', @customer, ',%'))
          AND (@operation IS NULL OR operation = @operation)
        """, new { customer, operation });

    /// <summary>Waits until the Orders API's transaction is blocked on the held product row, its key already claimed.</summary>
    public static async Task WaitUntilTheReservationWaitsAsync(MySqlConnection holder, MySqlTransaction hold, long product, Task<HttpResponseMessage> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await holder.ExecuteScalarAsync<long>(
                   "SELECT COUNT(*) FROM information_schema.processlist WHERE info LIKE CONCAT('UPDATE products SET stock = stock - % WHERE id = ', @product, ' %')",
                   new { product }, hold) == 0)
        {
            if (call.IsCompleted)
            {
                Assert.Fail($"The call ended before it reached the held row: {await (await call).Content.ReadAsStringAsync()}");
            }
            Assert.True(DateTime.UtcNow < deadline, "The orchestration never reached the held row.");
            await Task.Delay(20);
        }
    }

    /// <summary>No order of these customers is left CREATED: what an orchestration must never leave behind.</summary>
    public async Task AssertNoneLeftCreatedAsync(params long[] customerIds) =>
        Assert.Equal(0, await CountInOrdersDbAsync("SELECT COUNT(*) FROM orders WHERE customer_id IN @customerIds AND status = 'CREATED'", new { customerIds }));

    private static System.Net.Http.Json.JsonContent JsonContent(object body) =>
        System.Net.Http.Json.JsonContent.Create(body, options: HttpAssertions.Json);
}
