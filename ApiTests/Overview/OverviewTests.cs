using System.Net;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Overview;

/// <summary>The operators' overview (the console's home page): counts that follow what happens, for operators only.</summary>
[Collection(ServicesCollection.Name)]
public sealed class OverviewTests(ServicesFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    private async Task<JsonElement> OverviewAsync(string query = "") =>
        await (await records.Orders.GetAsync($"/overview{query}")).ExpectAsync(HttpStatusCode.OK);

    private static long Today(JsonElement overview, string status) => overview.GetProperty("orders_today").GetProperty(status).GetInt64();

    private static long LastHour(JsonElement overview) =>
        overview.GetProperty("orders_per_minute").EnumerateArray().Sum(minute => minute.GetProperty("orders").GetInt64());

    [Fact]
    public async Task TheOverviewCountsTodaysOrdersByStatusAndTheLastHourMinuteByMinute()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var before = await OverviewAsync();

        await records.PlaceOkAsync(customer, (product, 1));
        var canceled = (await records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
        await (await records.CancelAsync(canceled)).ExpectAsync(HttpStatusCode.OK);
        var after = await OverviewAsync();

        Assert.Equal(Today(before, "CREATED") + 1, Today(after, "CREATED"));
        Assert.Equal(Today(before, "CANCELED") + 1, Today(after, "CANCELED"));
        Assert.Equal(Today(before, "CONFIRMED"), Today(after, "CONFIRMED"));
        Assert.Equal(LastHour(before) + 2, LastHour(after));
        Assert.Equal(60, after.GetProperty("orders_per_minute").GetArrayLength());
    }

    [Fact]
    public async Task AProductAtOrBelowTheThresholdIsListedAsLowOnStock()
    {
        var low = await records.CreateProductAsync(stock: 0);
        var plenty = await records.CreateProductAsync(stock: 1_000);

        var listed = (await OverviewAsync("?low_stock=0")).GetProperty("low_stock").EnumerateArray().Select(p => p.GetProperty("id").GetInt64()).ToList();

        Assert.Contains(low, listed);
        Assert.DoesNotContain(plenty, listed);
    }

    [Theory]
    [InlineData("?low_stock=-1")]
    [InlineData("?low_stock=1000001")]
    public async Task AThresholdOutOfRangeIsRefused(string query) =>
        await (await records.Orders.GetAsync($"/overview{query}")).ExpectValidationProblemAsync("low_stock");

    /// <summary>The overview counts every customer's orders: a client, which sees its own only, is refused it.</summary>
    [Fact]
    public async Task AClientIsRefusedTheOverview()
    {
        var customer = await records.CreateCustomerAsync();

        await (await fixture.AsClient(Resources.OrdersApi, customer).GetAsync("/overview")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }
}
