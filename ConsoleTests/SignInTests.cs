using System.Net;
using Challenge.ConsoleTests.Infrastructure;
using Challenge.TestSupport;
using Microsoft.Playwright;

namespace Challenge.ConsoleTests;

/// <summary>
/// The console outside Development: people sign in at the deployment's OpenID provider (here the test's own), only
/// operators get in, the session is a hardened cookie, and every page is protected against framing and forged forms.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    private async Task<IPage> SignInAsync(string userName, string path = "/products")
    {
        var page = await fixture.NewPageAsync(fixture.SignInConsole);
        await page.GotoAsync(path);
        // Signed out: sent to the provider's sign-in.
        await Assertions.Expect(page.GetByLabel("User name")).ToBeVisibleAsync();
        Assert.DoesNotContain(fixture.SignInConsole.Authority, page.Url, StringComparison.Ordinal);
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    [Fact]
    public async Task ASignedOutBrowserIsSentToSignInAndAnOperatorWorksAsThemselves()
    {
        var page = await SignInAsync(OpenIdProvider.OperatorUserName);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Products", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync("Signed in as Ada Lovelace");

        var sku = $"SIGNED-IN-{Unique.Token()}";
        await page.CreateProductAsync(sku, "Made by Ada", "999", "1");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{sku}: Made by Ada", Level = 1 })).ToBeVisibleAsync();
        var found = await (await records.Orders.GetAsync($"/products?search={sku}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, found.GetProperty("data").GetArrayLength());

        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "__Host-operator-console");
        Assert.True(session.Secure);
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
        await page.AssertAccessibleAsync();

        await page.Button("Sign out").ClickAsync();
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByLabel("User name")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task APersonWithoutTheOperatorClaimIsRefusedEveryPage()
    {
        var page = await SignInAsync(OpenIdProvider.ClerkUserName, "/customers");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Only operators may use the console", Level = 1 })).ToBeVisibleAsync();
        await page.AssertAccessibleAsync();
        await page.ScreenshotAsync("denied");

        foreach (var path in (string[])["/", "/orders", "/products/1", "/webhooks"])
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Only operators may use the console", Level = 1 })).ToBeVisibleAsync();
        }
        Assert.DoesNotContain("LAPTOP-001", await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagesForbidFramingAndASignOutWithoutTheFormsTokenIsRefused()
    {
        var page = await SignInAsync(OpenIdProvider.OperatorUserName, "/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Today", Level = 1 })).ToBeVisibleAsync();

        var answer = await page.Context.APIRequest.GetAsync("/");
        var policy = answer.Headers["content-security-policy"];
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        // A cross-site form (no antiforgery token) cannot sign the person out.
        var forged = await page.Context.APIRequest.PostAsync("/signout");
        Assert.Equal(400, forged.Status);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync("Signed in as Ada Lovelace");
    }
}
