using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Orders;

[Collection(ServicesCollection.Name)]
public sealed class ProductsApiTests(ServicesFixture fixture)
{
    private readonly HttpClient products = fixture.Operator(Resources.OrdersApi);

    [Fact]
    public async Task CreatingAProductReturns201WithItsLocationAndEveryField()
    {
        var sku = $"LAPTOP-{Unique.Token()}";

        var response = await products.PostJsonAsync("/products", new { sku, name = "  Laptop Pro  ", price_cents = 129_900, stock = 7 });

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal($"/products/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(["id", "sku", "name", "price_cents", "stock", "created_at", "updated_at"], created.EnumerateObject().Select(p => p.Name));
        Assert.Equal(sku, created.GetProperty("sku").GetString());
        Assert.Equal("Laptop Pro", created.GetProperty("name").GetString());
        Assert.Equal(129_900, created.GetProperty("price_cents").GetInt64());
        Assert.Equal(7, created.GetProperty("stock").GetInt64());
        HttpAssertions.AssertTimestamp(created.GetProperty("created_at"));
        var fetched = await (await products.GetAsync($"/products/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), fetched.GetRawText());
    }

    public static TheoryData<string, string> InvalidProducts => new()
    {
        { """{"name":"A","price_cents":1,"stock":0}""", "sku" },
        { """{"sku":"has space","name":"A","price_cents":1,"stock":0}""", "sku" },
        { $$"""{"sku":"{{new string('S', 65)}}","name":"A","price_cents":1,"stock":0}""", "sku" },
        { """{"sku":"OK-1","name":" ","price_cents":1,"stock":0}""", "name" },
        { """{"sku":"OK-1","name":"Widget\u200B","price_cents":1,"stock":0}""", "name" },
        { """{"sku":"OK-1","name":"Wid\u0007get","price_cents":1,"stock":0}""", "name" },
        { """{"sku":"OK-1","name":"A","price_cents":0,"stock":0}""", "price_cents" },
        { """{"sku":"OK-1","name":"A","price_cents":100000000001,"stock":0}""", "price_cents" },
        { """{"sku":"OK-1","name":"A","price_cents":1,"stock":-1}""", "stock" },
        { """{"sku":"OK-1","name":"A","price_cents":1,"stock":1000000001}""", "stock" },
        { """{"sku":"OK-1","name":"A","price_cents":1}""", "stock" },
        { """{"sku":"OK-1","name":"A","price_cents":"5","stock":1}""", "price_cents" },
        { """{"sku":"OK-1","name":"A","price_cents":1.5,"stock":1}""", "price_cents" },
        { """{"sku":"OK-1","name":"A","price_cents":1,"stock":99999999999999999999}""", "stock" },
    };

    [Theory]
    [MemberData(nameof(InvalidProducts))]
    public async Task AnInvalidProductIsRefusedWithAProblemNamingTheField(string body, string field)
    {
        await (await products.PostRawAsync("/products", body)).ExpectValidationProblemAsync(field);
    }

    [Fact]
    public async Task ASkuAlreadyTakenIsAConflict()
    {
        var sku = $"DUP-{Unique.Token()}";
        await (await products.PostJsonAsync("/products", new { sku, name = "First", price_cents = 1, stock = 1 })).ExpectAsync(HttpStatusCode.Created);

        var response = await products.PostJsonAsync("/products", new { sku, name = "Second", price_cents = 1, stock = 1 });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnUnknownProductIsNotFound()
    {
        await (await products.GetAsync($"/products/{long.MaxValue}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await products.PatchAsync($"/products/{long.MaxValue}", JsonBody(new { stock = 1 }))).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PatchingSetsOnlyTheFieldsGivenAndStockAbsolutely()
    {
        var records = new TestRecords(fixture);
        var id = await records.CreateProductAsync(stock: 10, priceCents: 500, name: "Before");

        var stockOnly = await (await products.PatchAsync($"/products/{id}", JsonBody(new { stock = 3 }))).ExpectAsync(HttpStatusCode.OK);
        var nameAndPrice = await (await products.PatchAsync($"/products/{id}", JsonBody(new { name = " After ", price_cents = 750 }))).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(3, stockOnly.GetProperty("stock").GetInt64());
        Assert.Equal("Before", stockOnly.GetProperty("name").GetString());
        Assert.Equal(500, stockOnly.GetProperty("price_cents").GetInt64());
        Assert.Equal("After", nameAndPrice.GetProperty("name").GetString());
        Assert.Equal(750, nameAndPrice.GetProperty("price_cents").GetInt64());
        Assert.Equal(3, nameAndPrice.GetProperty("stock").GetInt64());
    }

    [Theory]
    [InlineData("{}", "body")]
    [InlineData("""{"sku":"NEW"}""", "body")]
    [InlineData("""{"stock":-5}""", "stock")]
    [InlineData("""{"price_cents":0}""", "price_cents")]
    [InlineData("""{"name":""}""", "name")]
    [InlineData("""{"stock":"9"}""", "stock")]
    public async Task AnInvalidPatchIsRefusedAndChangesNothing(string body, string field)
    {
        var records = new TestRecords(fixture);
        var id = await records.CreateProductAsync(stock: 4);

        await (await products.PatchAsync($"/products/{id}", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
            .ExpectValidationProblemAsync(field);

        Assert.Equal(4, await records.StockAsync(id));
    }

    [Fact]
    public async Task ListingSearchesNameOrSkuAndWalksPages()
    {
        var marker = Unique.Token();
        var bySku = await (await products.PostJsonAsync("/products", new { sku = $"CABLE-{marker}", name = "Cable", price_cents = 1, stock = 1 })).ExpectAsync(HttpStatusCode.Created);
        var byName = await (await products.PostJsonAsync("/products", new { sku = $"X-{Unique.Token()}", name = $"Adapter {marker.ToUpperInvariant()}", price_cents = 1, stock = 1 })).ExpectAsync(HttpStatusCode.Created);
        await products.PostJsonAsync("/products", new { sku = $"Y-{Unique.Token()}", name = "Unrelated", price_cents = 1, stock = 1 });

        var first = await (await products.GetAsync($"/products?search={marker}&limit=1")).ExpectAsync(HttpStatusCode.OK);
        var cursor = first.GetProperty("next_cursor").GetInt64();
        var second = await (await products.GetAsync($"/products?search={marker}&limit=1&cursor={cursor}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(bySku.GetProperty("id").GetInt64(), first.GetProperty("data")[0].GetProperty("id").GetInt64());
        Assert.Equal(byName.GetProperty("id").GetInt64(), second.GetProperty("data")[0].GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task ProductSearchTreatsUnderscoreLiterally()
    {
        var marker = Unique.Token();
        var literal = await (await products.PostJsonAsync("/products", new { sku = $"A_{marker}", name = "U", price_cents = 1, stock = 1 })).ExpectAsync(HttpStatusCode.Created);
        await products.PostJsonAsync("/products", new { sku = $"AB{marker}", name = "U", price_cents = 1, stock = 1 });

        var page = await (await products.GetAsync($"/products?search=A_{marker}")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal([literal.GetProperty("id").GetInt64()], page.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=500", "limit")]
    [InlineData("cursor=x", "cursor")]
    public async Task ABadLimitOrCursorIsRefused(string query, string field)
    {
        await (await products.GetAsync($"/products?{query}")).ExpectValidationProblemAsync(field);
    }

    [Fact]
    public async Task TheSampleProductsExist()
    {
        var laptop = await (await products.GetAsync("/products/1")).ExpectAsync(HttpStatusCode.OK);
        var mouse = await (await products.GetAsync("/products/2")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal(("LAPTOP-001", 150_000L), (laptop.GetProperty("sku").GetString(), laptop.GetProperty("price_cents").GetInt64()));
        Assert.Equal(("MOUSE-001", 5_000L), (mouse.GetProperty("sku").GetString(), mouse.GetProperty("price_cents").GetInt64()));
    }

    private static StringContent JsonBody(object body) =>
        new(JsonSerializer.Serialize(body, HttpAssertions.Json), System.Text.Encoding.UTF8, "application/json");
}
