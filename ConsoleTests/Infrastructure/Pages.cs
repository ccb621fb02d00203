using Challenge.StackHarness;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Challenge.ConsoleTests.Infrastructure;

/// <summary>What every browser test does with a page: wait for it, judge its accessibility, and photograph it for docs/console.</summary>
public static class Pages
{
    private static readonly string screenshots = Path.Combine(SourceTree.Root, "docs", "console");

    /// <summary>Opens <paramref name="path"/> and waits until the page's heading (rendered once its circuit runs) is there.</summary>
    public static async Task OpenAsync(this IPage page, string path, string heading)
    {
        await page.GotoAsync(path);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
    }

    /// <summary>No serious or critical violation of axe-core's rules (WCAG 2.1 A and AA, and best practices) on the page as it is.</summary>
    public static async Task AssertAccessibleAsync(this IPage page)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{page.Url}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}")));
    }

    /// <summary>A picture of the whole page, for the README's tour of the console (docs/console/NAME.png).</summary>
    public static Task ScreenshotAsync(this IPage page, string name)
    {
        Directory.CreateDirectory(screenshots);
        return page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, $"{name}.png"), FullPage = true });
    }

    /// <summary>The input a label names (each field of the console is a labelled native input).</summary>
    public static ILocator Field(this IPage page, string label) => page.GetByLabel(label, new() { Exact = true });

    public static ILocator Button(this IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The id a detail page's address ends with (<c>/products/42</c>).</summary>
    public static long IdInUrl(this IPage page) =>
        long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Fills the products page's "New product" form and sends it.</summary>
    public static async Task CreateProductAsync(this IPage page, string sku, string name, string priceCents, string stock)
    {
        await page.Field("SKU").FillAsync(sku);
        await page.Field("Name").FillAsync(name);
        await page.Field("Price, in cents").FillAsync(priceCents);
        await page.Field("Stock").FillAsync(stock);
        await page.Button("Create the product").ClickAsync();
    }
}
