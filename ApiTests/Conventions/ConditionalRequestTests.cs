using System.Net;
using System.Text;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Conventions;

/// <summary>
/// Conditional requests (RFC 9110): customers and products carry an ETag that changes with every change of the row,
/// and a change sent with If-Match is made only while the row is still as the client last saw it. Stock moves by
/// <c>stock_delta</c> atomically, so that a restock never overwrites what orders took meanwhile.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ConditionalRequestTests(ServicesFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    private static string ETagOf(HttpResponseMessage response) =>
        response.Headers.ETag is { IsWeak: false, Tag: { } tag } ? tag : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} without a strong ETag");

    private static HttpRequestMessage Request(HttpMethod method, string path, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body, HttpAssertions.Json), Encoding.UTF8, "application/json");
        }
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }
        return request;
    }

    [Fact]
    public async Task ACustomersETagChangesWithEveryChangeAndOnlyThen()
    {
        var created = await records.Customers.PostJsonAsync("/customers", new { name = "Versioned", email = Unique.Email() });
        var id = (await created.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var first = ETagOf(created);

        var read = await records.Customers.GetAsync($"/customers/{id}");
        Assert.Equal(first, ETagOf(read));
        var updated = await records.Customers.PutJsonAsync($"/customers/{id}", new { name = "Versioned again", email = Unique.Email() });
        await updated.ExpectAsync(HttpStatusCode.OK);
        Assert.NotEqual(first, ETagOf(updated));
        Assert.Equal(ETagOf(updated), ETagOf(await records.Customers.GetAsync($"/customers/{id}")));
        Assert.DoesNotContain("version", await read.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AStaleIfMatchIsAPreconditionFailureThatChangesNothing()
    {
        var created = await records.Customers.PostJsonAsync("/customers", new { name = "Original", email = Unique.Email() });
        var id = (await created.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var seen = ETagOf(created);
        var current = ETagOf(await records.Customers.PutJsonAsync($"/customers/{id}", new { name = "Changed by someone else", email = Unique.Email() }));

        var stale = await records.Customers.SendAsync(Request(HttpMethod.Put, $"/customers/{id}", new { name = "Lost update", email = Unique.Email() }, seen));
        await stale.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await records.Customers.SendAsync(Request(HttpMethod.Delete, $"/customers/{id}", ifMatch: seen))).ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        await (await records.Customers.SendAsync(Request(HttpMethod.Put, $"/customers/{id}", new { name = "Weak", email = Unique.Email() }, $"W/{current}")))
            .ExpectProblemAsync(HttpStatusCode.PreconditionFailed);

        var unchanged = await records.Customers.GetAsync($"/customers/{id}");
        Assert.Equal("Changed by someone else", (await unchanged.ExpectAsync(HttpStatusCode.OK)).GetProperty("name").GetString());
        Assert.Equal(current, ETagOf(unchanged));

        var listed = await records.Customers.SendAsync(Request(HttpMethod.Put, $"/customers/{id}", new { name = "Fresh", email = Unique.Email() }, $"{seen}, {current}"));
        Assert.Equal("Fresh", (await listed.ExpectAsync(HttpStatusCode.OK)).GetProperty("name").GetString());
        await (await records.Customers.SendAsync(Request(HttpMethod.Put, $"/customers/{id}", new { name = "Any", email = Unique.Email() }, "*")))
            .ExpectAsync(HttpStatusCode.OK);
        var latest = ETagOf(await records.Customers.GetAsync($"/customers/{id}"));
        await (await records.Customers.SendAsync(Request(HttpMethod.Delete, $"/customers/{id}", ifMatch: latest))).ExpectAsync(HttpStatusCode.NoContent);
        // Gone: the precondition no longer matters, the customer does not exist.
        await (await records.Customers.SendAsync(Request(HttpMethod.Delete, $"/customers/{id}", ifMatch: latest))).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AMalformedIfMatchIsRefused()
    {
        var id = await records.CreateCustomerAsync();

        var response = await records.Customers.SendAsync(Request(HttpMethod.Put, $"/customers/{id}", new { name = "X", email = Unique.Email() }, "not-quoted"));

        await response.ExpectValidationProblemAsync("If-Match");
    }

    [Fact]
    public async Task OfTwoConcurrentChangesFromTheSameVersionExactlyOneWins()
    {
        var created = await records.Customers.PostJsonAsync("/customers", new { name = "Contested", email = Unique.Email() });
        var id = (await created.ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var seen = ETagOf(created);

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            records.Customers.SendAsync(Request(HttpMethod.Put, $"/customers/{id}", new { name = $"Writer {i}", email = Unique.Email() }, seen))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.PreconditionFailed));
    }

    /// <summary>
    /// The lost restock: an operator reads stock 10 and means to add 5, an order takes 4 meanwhile. Setting 15 with the
    /// ETag read is refused (the order changed the product); moving by +5 counts both, and stock is conserved.
    /// </summary>
    [Fact]
    public async Task ARestockCannotOverwriteWhatAnOrderTookMeanwhile()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var read = await records.Orders.GetAsync($"/products/{product}");
        var seen = ETagOf(read);
        Assert.Equal(10, (await read.ExpectAsync(HttpStatusCode.OK)).GetProperty("stock").GetInt64());

        await records.PlaceOkAsync(customer, (product, 4));
        var overwrite = await records.Orders.SendAsync(Request(HttpMethod.Patch, $"/products/{product}", new { stock = 15 }, seen));
        await overwrite.ExpectProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal(6, await records.StockAsync(product));

        var restock = await records.Orders.SendAsync(Request(HttpMethod.Patch, $"/products/{product}", new { stock_delta = 5 }));
        Assert.Equal(11, (await restock.ExpectAsync(HttpStatusCode.OK)).GetProperty("stock").GetInt64());
        Assert.NotEqual(seen, ETagOf(restock));
        await records.AssertConservedAsync(new Dictionary<long, long> { [product] = 10 + 5 }, customer);
    }

    [Fact]
    public async Task ConcurrentStockMovesAllCountAndNoneTakesStockBelowZero()
    {
        var product = await records.CreateProductAsync(stock: 5);

        var moves = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            records.Orders.SendAsync(Request(HttpMethod.Patch, $"/products/{product}", new { stock_delta = i % 2 == 0 ? 3 : -1 }))));

        Assert.All(moves, m => Assert.Equal(HttpStatusCode.OK, m.StatusCode));
        Assert.Equal(5 + 20 * 3 - 20, await records.StockAsync(product));

        var below = await records.Orders.SendAsync(Request(HttpMethod.Patch, $"/products/{product}", new { stock_delta = -46, name = "Renamed" }));
        var problem = await below.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("-1", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var unchanged = await (await records.Orders.GetAsync($"/products/{product}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(45, unchanged.GetProperty("stock").GetInt64());
        Assert.NotEqual("Renamed", unchanged.GetProperty("name").GetString());
        Assert.Equal(0, (await (await records.Orders.SendAsync(Request(HttpMethod.Patch, $"/products/{product}", new { stock_delta = -45 })))
            .ExpectAsync(HttpStatusCode.OK)).GetProperty("stock").GetInt64());
    }

    [Theory]
    [InlineData("""{"stock":5,"stock_delta":1}""")]
    [InlineData("""{"stock_delta":0}""")]
    [InlineData("""{"stock_delta":1000000001}""")]
    [InlineData("""{"stock_delta":"1"}""")]
    public async Task AnInvalidStockMoveIsRefusedAndChangesNothing(string body)
    {
        var product = await records.CreateProductAsync(stock: 5);

        var response = await records.Orders.PatchAsync($"/products/{product}", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ExpectValidationProblemAsync("stock_delta");
        Assert.Equal(5, await records.StockAsync(product));
    }

    [Fact]
    public async Task TheOpenApiDocumentsDescribeETagsIfMatchAndStockMoves()
    {
        var orders = await (await records.Orders.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var customers = await (await records.Customers.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);

        foreach (var (document, path, method) in new[] { (orders, "/products/{id}", "patch"), (customers, "/customers/{id}", "put"), (customers, "/customers/{id}", "delete") })
        {
            var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);
            Assert.Contains(operation.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "If-Match");
            Assert.True(operation.GetProperty("responses").TryGetProperty("412", out _), $"{method} {path} documents no 412");
        }
        var patch = orders.GetProperty("paths").GetProperty("/products/{id}").GetProperty("patch");
        Assert.True(patch.GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        var list = customers.GetProperty("paths").GetProperty("/customers").GetProperty("get").GetProperty("responses").GetProperty("200");
        Assert.False(list.TryGetProperty("headers", out var headers) && headers.TryGetProperty("ETag", out _), "a list answers with no ETag");
        Assert.True(orders.GetProperty("components").GetProperty("schemas").GetProperty("ProductPatch").GetProperty("properties").TryGetProperty("stock_delta", out _));
        Assert.False(orders.GetProperty("components").GetProperty("schemas").GetProperty("Product").GetProperty("properties").TryGetProperty("version", out _));
    }
}
