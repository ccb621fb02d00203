using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Challenge.ConsoleTests.Infrastructure;
using Challenge.TestSupport;
using Microsoft.Playwright;

namespace Challenge.ConsoleTests;

/// <summary>The products' pages: create, move stock, edit under If-Match; every refusal beside its cause.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ProductPageTests(ConsoleFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    private async Task<JsonElement> ProductAsync(long id) =>
        await (await records.Orders.GetAsync($"/products/{id}")).ExpectAsync(HttpStatusCode.OK);

    /// <summary>By keyboard alone, as every flow of the console works.</summary>
    [Fact]
    public async Task AnOperatorCreatesAProductAndMovesItsStockByKeyboard()
    {
        var sku = $"CONSOLE-{Unique.Token()}";
        var page = await fixture.NewPageAsync();
        await page.OpenAsync("/products", "Products");

        await page.TypeIntoAsync("SKU", sku);
        await page.TypeIntoAsync("Name", "Console widget");
        await page.TypeIntoAsync("Price, in cents", "1250");
        await page.TypeIntoAsync("Stock", "5");
        await page.TabToAsync("Create the product");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{sku}: Console widget", Level = 1 })).ToBeVisibleAsync();
        var id = page.IdInUrl();
        await page.TypeIntoAsync("Units to add (negative to take)", "7");
        await page.TabToAsync("Move the stock");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("it is 12 now");
        await page.TypeIntoAsync("Units to add (negative to take)", "-13");
        await page.TabToAsync("Move the stock");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByTestId("problem")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("stock")).ToHaveTextAsync("12");
        var product = await ProductAsync(id);
        Assert.Equal((sku, 1250, 12), (product.GetProperty("sku").GetString(), product.GetProperty("price_cents").GetInt64(), product.GetProperty("stock").GetInt64()));
        await page.AssertAccessibleAsync();
    }

    [Fact]
    public async Task AFieldsRefusalAppearsBesideTheFieldAndNothingIsCreated()
    {
        var sku = $"REFUSED-{Unique.Token()}";
        var page = await fixture.NewPageAsync();
        await page.OpenAsync("/products", "Products");

        await page.CreateProductAsync(sku, "Free lunch", "0", "5");

        var error = page.Locator("#new-price-error");
        await Assertions.Expect(error).ToContainTextAsync("price_cents");
        // Beside the field, and tied to it for screen readers.
        await Assertions.Expect(page.Field("Price, in cents")).ToHaveAttributeAsync("aria-describedby", "new-price-error");
        await Assertions.Expect(page.Field("Price, in cents")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#new-sku-error")).ToHaveCountAsync(0);
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("product-field-error");
        // What is not a number is refused before anything is sent.
        await page.Field("Stock").FillAsync("five");
        await page.Button("Create the product").ClickAsync();
        await Assertions.Expect(page.Locator("#new-stock-error")).ToContainTextAsync("whole number");
        var found = await (await records.Orders.GetAsync($"/products?search={sku}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, found.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task AStaleEditShowsTheConflictAndChangesNothingUntilThePersonDecides()
    {
        var id = await records.CreateProductAsync(stock: 10, priceCents: 2_000, name: "Before");
        var page = await fixture.NewPageAsync();
        await page.OpenAsync($"/products/{id}", $"SKU-");
        await Assertions.Expect(page.Field("Name")).ToHaveValueAsync("Before");

        // Someone else renames it meanwhile.
        await (await records.Orders.PatchAsJsonAsync($"/products/{id}", new { name = "Renamed elsewhere" })).ExpectAsync(HttpStatusCode.OK);
        await page.Field("Name").FillAsync("Mine");
        await page.Field("Price, in cents").FillAsync("2500");
        await page.Button("Save").ClickAsync();

        var conflict = page.GetByTestId("conflict");
        await Assertions.Expect(conflict).ToBeVisibleAsync();
        await Assertions.Expect(conflict.GetByRole(AriaRole.Row, new() { Name = "Name" })).ToContainTextAsync("Renamed elsewhere");
        var unchanged = await ProductAsync(id);
        Assert.Equal(("Renamed elsewhere", 2_000), (unchanged.GetProperty("name").GetString(), unchanged.GetProperty("price_cents").GetInt64()));
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("product-conflict");

        await page.Button("Save mine over it").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        var saved = await ProductAsync(id);
        Assert.Equal(("Mine", 2_500, 10), (saved.GetProperty("name").GetString(), saved.GetProperty("price_cents").GetInt64(), saved.GetProperty("stock").GetInt64()));
    }

    /// <summary>A rename sends the name alone: orders that moved the stock meanwhile conflict with it, and overwriting keeps their stock.</summary>
    [Fact]
    public async Task OverwritingAStaleRenameKeepsTheStockOrdersTookMeanwhile()
    {
        var customer = await records.CreateCustomerAsync();
        var id = await records.CreateProductAsync(stock: 10, name: "Old name");
        var page = await fixture.NewPageAsync();
        await page.OpenAsync($"/products/{id}", "SKU-");
        await Assertions.Expect(page.Field("Name")).ToHaveValueAsync("Old name");

        await records.PlaceOkAsync(customer, (id, 4));
        await page.Field("Name").FillAsync("New name");
        await page.Button("Save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("conflict")).ToBeVisibleAsync();
        await page.Button("Save mine over it").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        var saved = await ProductAsync(id);
        Assert.Equal(("New name", 6), (saved.GetProperty("name").GetString(), saved.GetProperty("stock").GetInt64()));
    }

    /// <summary>A stock move since the form was filled makes the form's stock stale: saving a count is a conflict, not a lost move.</summary>
    [Fact]
    public async Task AStockMoveMakesTheEditFormStaleAndItsSaveLosesNothing()
    {
        var id = await records.CreateProductAsync(stock: 10);
        var page = await fixture.NewPageAsync();
        await page.OpenAsync($"/products/{id}", "SKU-");
        await Assertions.Expect(page.Field("Stock (a count, as at a stocktake)")).ToHaveValueAsync("10");

        await page.Field("Units to add (negative to take)").FillAsync("3");
        await page.Button("Move the stock").ClickAsync();
        await Assertions.Expect(page.GetByTestId("stock")).ToHaveTextAsync("13");
        // A stocktake of what the form showed, made before the move: it would erase the move.
        await page.Field("Stock (a count, as at a stocktake)").FillAsync("9");
        await page.Button("Save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("conflict")).ToBeVisibleAsync();
        await page.Button("Discard mine and keep it as it is now").ClickAsync();
        await Assertions.Expect(page.Field("Stock (a count, as at a stocktake)")).ToHaveValueAsync("13");
        Assert.Equal(13, (await ProductAsync(id)).GetProperty("stock").GetInt64());
    }
}
