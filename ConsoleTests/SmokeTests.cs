using Challenge.ConsoleTests.Infrastructure;
using Microsoft.Playwright;

namespace Challenge.ConsoleTests;

[Collection(ConsoleCollection.Name)]
public sealed class SmokeTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Home()
    {
        var page = await fixture.NewPageAsync();
        await page.OpenAsync("/", "Today");
        await Assertions.Expect(page.GetByText("Development: you act as the local operator")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
        await page.OpenAsync("/products", "Products");
        await page.Field("SKU").FillAsync("SMOKE-" + Guid.NewGuid().ToString("N")[..8]);
        await page.Field("Name").FillAsync("Smoke");
        await page.Field("Price, in cents").FillAsync("0");
        await page.Field("Stock").FillAsync("5");
        await page.Button("Create the product").ClickAsync();
        await Assertions.Expect(page.Locator("#new-price-error")).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
    }
}
