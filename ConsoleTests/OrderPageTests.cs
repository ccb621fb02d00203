using System.Net;
using Challenge.ConsoleTests.Infrastructure;
using Challenge.TestSupport;
using Microsoft.Playwright;

namespace Challenge.ConsoleTests;

/// <summary>The orders' pages: what clients order appears by itself; a cancellation from the console gives the stock back.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class OrderPageTests(ConsoleFixture fixture)
{
    private readonly TestRecords records = new(fixture);
    private readonly OrchestratorCalls orchestrator = new(fixture);

    [Fact]
    public async Task AnOrchestratedOrderAppearsWithoutReloadingAndCancellingItBringsItsStockBack()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var page = await fixture.NewPageAsync();
        await page.OpenAsync($"/orders?customer={customer}", "Orders");
        await Assertions.Expect(page.GetByText("No order matches.")).ToBeVisibleAsync();

        var placed = await (await orchestrator.CallAsync(customer, [(product, 3)], Unique.Token())).ExpectAsync(HttpStatusCode.Created);
        var order = placed.GetProperty("data").GetProperty("order").GetProperty("id").GetInt64();

        // No reload: the page asks again by itself.
        var link = page.GetByRole(AriaRole.Link, new() { Name = $"Order {order}", Exact = true });
        await Assertions.Expect(link).ToBeVisibleAsync();
        Assert.Equal(7, await records.StockAsync(product));
        await link.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Order {order}", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveTextAsync("CONFIRMED");
        await Assertions.Expect(page.GetByTestId("events")).ToContainTextAsync("order.confirmed");
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("order");

        // By keyboard: to the button, then to the confirmation.
        await page.TabToAsync("Cancel this order");
        await page.Keyboard.PressAsync("Enter");
        await page.TabToAsync($"Yes, cancel order {order}");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveTextAsync("CANCELED");
        await Assertions.Expect(page.GetByTestId("events")).ToContainTextAsync("order.canceled");
        Assert.Equal(10, await records.StockAsync(product));
    }
}
