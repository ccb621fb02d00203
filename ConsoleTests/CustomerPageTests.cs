using System.Net;
using Challenge.ConsoleTests.Infrastructure;
using Challenge.TestSupport;
using Microsoft.Playwright;

namespace Challenge.ConsoleTests;

/// <summary>The customers' pages, worked by keyboard alone: create, edit under If-Match, delete with a confirmation.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class CustomerPageTests(ConsoleFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    [Fact]
    public async Task AnOperatorCreatesEditsAndDeletesACustomerByKeyboardAlone()
    {
        var email = Unique.Email("keyboard");
        var page = await fixture.NewPageAsync();
        await page.OpenAsync("/customers", "Customers");

        await page.TypeIntoAsync("Name", "Keyboard Ltd");
        await page.TypeIntoAsync("E-mail", email);
        await page.TabToAsync("Create the customer");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Keyboard Ltd", Level = 1 })).ToBeVisibleAsync();
        var id = page.IdInUrl();

        await page.TabToAsync("Phone (optional)");
        await page.Keyboard.TypeAsync("+1 555 0100");
        await page.TabToAsync("Save");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Saved.");
        var saved = await (await records.Customers.GetAsync($"/customers/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(("Keyboard Ltd", email, "+1 555 0100"), (saved.GetProperty("name").GetString(), saved.GetProperty("email").GetString(), saved.GetProperty("phone").GetString()));
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("customer");

        await page.TabToAsync("Delete this customer");
        await page.Keyboard.PressAsync("Enter");
        await page.TabToAsync("Yes, delete Keyboard Ltd");
        await page.Keyboard.PressAsync("Space");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customers", Level = 1 })).ToBeVisibleAsync();
        await (await records.Customers.GetAsync($"/customers/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnEmailAnotherCustomerUsesIsRefusedInWordsAndNothingIsCreated()
    {
        var taken = (await (await records.Customers.GetAsync($"/customers/{await records.CreateCustomerAsync()}")).ExpectAsync(HttpStatusCode.OK))
            .GetProperty("email").GetString()!;
        var page = await fixture.NewPageAsync();
        await page.OpenAsync("/customers", "Customers");

        await page.Field("Name").FillAsync("Copycat");
        await page.Field("E-mail").FillAsync(taken);
        await page.Button("Create the customer").ClickAsync();

        await Assertions.Expect(page.GetByTestId("problem")).ToContainTextAsync(taken);
        var found = await (await records.Customers.GetAsync($"/customers?search={Uri.EscapeDataString("Copycat")}&limit=100")).ExpectAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(found.GetProperty("data").EnumerateArray(), c => c.GetProperty("email").GetString() == taken && c.GetProperty("name").GetString() == "Copycat");
    }
}
