using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Customers;

[Collection(ServicesCollection.Name)]
public sealed class CustomerListTests(ServicesFixture fixture)
{
    private readonly HttpClient customers = fixture.Operator(Resources.CustomersApi);

    private async Task<List<long>> CreateManyAsync(string marker, int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var created = await (await customers.PostJsonAsync("/customers", new { name = $"{marker} {i}", email = Unique.Email() }))
                .ExpectAsync(HttpStatusCode.Created);
            ids.Add(created.GetProperty("id").GetInt64());
        }
        return ids;
    }

    private async Task<JsonElement> PageAsync(string query) =>
        await (await customers.GetAsync($"/customers?{query}")).ExpectAsync(HttpStatusCode.OK);

    [Fact]
    public async Task WalkingThePagesReturnsEveryMatchOnceInIdOrder()
    {
        var marker = $"Walker{Unique.Token()}";
        var ids = await CreateManyAsync(marker, 23);
        var seen = new List<long>();
        var pageSizes = new List<int>();

        string? cursor = null;
        do
        {
            var page = await PageAsync($"search={marker}&limit=10{(cursor is null ? "" : $"&cursor={cursor}")}");
            var data = page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()).ToList();
            seen.AddRange(data);
            pageSizes.Add(data.Count);
            var next = page.GetProperty("next_cursor");
            cursor = next.ValueKind == JsonValueKind.Null ? null : next.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (cursor is not null)
            {
                Assert.Equal(data[^1].ToString(System.Globalization.CultureInfo.InvariantCulture), cursor);
            }
        }
        while (cursor is not null);

        Assert.Equal([10, 10, 3], pageSizes);
        Assert.Equal(ids, seen);
    }

    [Fact]
    public async Task ALastPageThatIsExactlyFullHasNoNextCursor()
    {
        var marker = $"Exact{Unique.Token()}";
        await CreateManyAsync(marker, 5);

        var page = await PageAsync($"search={marker}&limit=5");

        Assert.Equal(5, page.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next_cursor").ValueKind);
    }

    [Fact]
    public async Task TheDefaultPageHoldsTenCustomers()
    {
        var marker = $"Default{Unique.Token()}";
        await CreateManyAsync(marker, 12);

        var page = await PageAsync($"search={marker}");

        Assert.Equal(10, page.GetProperty("data").GetArrayLength());
        Assert.Equal(JsonValueKind.Number, page.GetProperty("next_cursor").ValueKind);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("cursor=-5", "cursor")]
    [InlineData("cursor=99999999999999999999", "cursor")]
    public async Task ABadLimitOrCursorIsRefused(string query, string field)
    {
        var response = await customers.GetAsync($"/customers?{query}");

        await response.ExpectValidationProblemAsync(field);
    }

    [Fact]
    public async Task SearchMatchesNameOrEmailIgnoringCase()
    {
        var marker = Unique.Token();
        var byName = await (await customers.PostJsonAsync("/customers", new { name = $"Globex {marker}", email = Unique.Email() })).ExpectAsync(HttpStatusCode.Created);
        var byEmail = await (await customers.PostJsonAsync("/customers", new { name = "Initech", email = $"sales.{marker}@initech.io" })).ExpectAsync(HttpStatusCode.Created);

        var page = await PageAsync($"search={marker.ToUpperInvariant()}");

        Assert.Equal(
            [byName.GetProperty("id").GetInt64(), byEmail.GetProperty("id").GetInt64()],
            page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
    }

    [Theory]
    [InlineData("%")]
    [InlineData("_")]
    [InlineData("\\")]
    [InlineData("!")]
    public async Task SearchTreatsWildcardsAndEscapesLiterally(string special)
    {
        var marker = Unique.Token();
        var literal = await (await customers.PostJsonAsync("/customers", new { name = $"{marker}{special}end", email = Unique.Email() })).ExpectAsync(HttpStatusCode.Created);
        await customers.PostJsonAsync("/customers", new { name = $"{marker}Xend", email = Unique.Email() });
        await customers.PostJsonAsync("/customers", new { name = $"{marker}end", email = Unique.Email() });

        var page = await PageAsync($"search={Uri.EscapeDataString(marker + special + "end")}");

        Assert.Equal([literal.GetProperty("id").GetInt64()], page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task DeletedCustomersAreNotListed()
    {
        var marker = $"Gone{Unique.Token()}";
        var ids = await CreateManyAsync(marker, 3);
        await customers.DeleteAsync($"/customers/{ids[1]}");

        var page = await PageAsync($"search={marker}");

        Assert.Equal([ids[0], ids[2]], page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetInt64()));
    }
}
