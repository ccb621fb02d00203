using System.Net;
using Challenge.ConsoleTests.Infrastructure;
using Challenge.TestSupport;
using Microsoft.Playwright;

namespace Challenge.ConsoleTests;

/// <summary>The webhooks' pages: a secret is shown once (made or rotated); a subscription is deleted after a confirmation.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class WebhookPageTests(ConsoleFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    [Fact]
    public async Task ASubscriptionsSecretIsShownOnceItRotatesAndTheSubscriptionIsDeleted()
    {
        var customer = await records.CreateCustomerAsync();
        var url = $"http://127.0.0.1:9/console-{Unique.Token()}";
        var page = await fixture.NewPageAsync();
        await page.OpenAsync("/webhooks", "Webhook subscriptions");

        // By keyboard: the fields, the event types (all three are ticked: one is unticked with Space), the button.
        await page.TypeIntoAsync("URL", url);
        await page.TypeIntoAsync("Customer id (blank: every customer)", $"{customer}");
        await page.TabToAsync("order.confirmed");
        await page.Keyboard.PressAsync("Space");
        await page.TabToAsync("Subscribe");
        await page.Keyboard.PressAsync("Enter");
        var shown = page.GetByTestId("secret");
        await Assertions.Expect(shown).ToContainTextAsync("whsec_");
        var secret = await shown.Locator(".secret").TextContentAsync();
        var made = await (await records.Orders.GetAsync($"/webhooks?customer_id={customer}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["order.created", "order.canceled"], made.GetProperty("data")[0].GetProperty("events").EnumerateArray().Select(e => e.GetString()));
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("webhooks");

        await page.GetByRole(AriaRole.Link, new() { Name = url }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("subscription")).ToContainTextAsync(url);
        Assert.DoesNotContain("whsec_", await page.ContentAsync(), StringComparison.Ordinal);
        await page.Button("Rotate the secret").ClickAsync();
        await page.Button("Yes, rotate the secret").ClickAsync();
        await Assertions.Expect(page.GetByTestId("secret")).ToContainTextAsync("whsec_");
        Assert.NotEqual(secret, await page.GetByTestId("secret").Locator(".secret").TextContentAsync());
        await Assertions.Expect(page.GetByTestId("subscription")).ToContainTextAsync("the previous secret signs too");
        var id = page.IdInUrl();

        await page.Button("Delete this subscription").ClickAsync();
        await page.Button($"Yes, delete subscription {id}").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhook subscriptions", Level = 1 })).ToBeVisibleAsync();
        await (await records.Orders.GetAsync($"/webhooks/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }
}
