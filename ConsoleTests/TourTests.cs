using System.Net;
using Challenge.ConsoleTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ConsoleTests;

/// <summary>Every page, as an operator finds it: accessible (axe-core), saying who the console acts as, and photographed for docs/console.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class TourTests(ConsoleFixture fixture)
{
    private static readonly string[] createdOnly = ["order.created"];
    private readonly TestRecords records = new(fixture);

    [Fact]
    public async Task EveryPageIsAccessibleAndSaysWhoTheConsoleActsAs()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 3, name: "Tour lamp");
        var order = (await records.PlaceOkAsync(customer, (product, 1))).GetProperty("id").GetInt64();
        var subscription = (await (await records.Orders.PostJsonAsync("/webhooks",
                new { url = $"http://127.0.0.1:9/tour-{Unique.Token()}", events = createdOnly, customer_id = customer }))
            .ExpectAsync(HttpStatusCode.Created)).GetProperty("id").GetInt64();
        var page = await fixture.NewPageAsync();

        (string Path, string Heading, string Name)[] tour =
        [
            ("/", "Today", "home"),
            ("/orders", "Orders", "orders"),
            ($"/orders/{order}", $"Order {order}", "order-created"),
            ("/products", "Products", "products"),
            ($"/products/{product}", "Tour lamp", "product"),
            ("/customers", "Customers", "customers"),
            ($"/customers/{customer}", "Buyer", "customer-detail"),
            ($"/webhooks?customer={customer}", "Webhook subscriptions", "webhooks-of-a-customer"),
            ($"/webhooks/{subscription}", $"Subscription {subscription}", "subscription"),
        ];
        foreach (var (path, heading, name) in tour)
        {
            await page.OpenAsync(path, heading);
            await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync("Development: you act as the local operator");
            await page.AssertAccessibleAsync();
            await page.ScreenshotAsync(name);
        }
        await (await records.Orders.DeleteAsync($"/webhooks/{subscription}")).ExpectAsync(HttpStatusCode.NoContent);
    }
}
