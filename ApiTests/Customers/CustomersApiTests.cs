using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Customers;

[Collection(ServicesCollection.Name)]
public sealed class CustomersApiTests(ServicesFixture fixture)
{
    private readonly HttpClient customers = fixture.Operator(Resources.CustomersApi);

    private async Task<JsonElement> CreateAsync(string? name = null, string? email = null, string? phone = "+1 (555) 010-0000")
    {
        var response = await customers.PostJsonAsync("/customers", new { name = name ?? $"Customer {Unique.Token()}", email = email ?? Unique.Email(), phone });
        return await response.ExpectAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task CreatingACustomerReturns201WithItsLocationAndEveryField()
    {
        var email = Unique.Email("acme");

        var response = await customers.PostJsonAsync("/customers", new { name = "  ACME Corp  ", email, phone = "+1234567890" });

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal($"/customers/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("ACME Corp", created.GetProperty("name").GetString());
        Assert.Equal(email, created.GetProperty("email").GetString());
        Assert.Equal("+1234567890", created.GetProperty("phone").GetString());
        HttpAssertions.AssertTimestamp(created.GetProperty("created_at"));
        Assert.Equal(created.GetProperty("created_at").GetString(), created.GetProperty("updated_at").GetString());
        Assert.Equal(
            ["id", "name", "email", "phone", "limits", "created_at", "updated_at"],
            created.EnumerateObject().Select(p => p.Name));
        // No limits of its own: the Orders API's defaults apply.
        Assert.Equal("""{"open_orders":null,"reserved_units":null}""", created.GetProperty("limits").GetRawText());

        var fetched = await (await customers.GetAsync(response.Headers.Location)).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetRawText(), fetched.GetRawText());
    }

    [Fact]
    public async Task APhoneIsOptionalAndAnEmptyOneMeansNone()
    {
        var withoutPhone = await (await customers.PostJsonAsync("/customers", new { name = "No Phone", email = Unique.Email() }))
            .ExpectAsync(HttpStatusCode.Created);
        var emptyPhone = await CreateAsync(phone: "  ");

        Assert.Equal(JsonValueKind.Null, withoutPhone.GetProperty("phone").ValueKind);
        Assert.Equal(JsonValueKind.Null, emptyPhone.GetProperty("phone").ValueKind);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"email":"a@example.com"}""", "name" },
        { """{"name":"   ","email":"a@example.com"}""", "name" },
        { $$"""{"name":"{{new string('n', 201)}}","email":"a@example.com"}""", "name" },
        { """{"name":"A"}""", "email" },
        { """{"name":"A","email":"not-an-address"}""", "email" },
        { """{"name":"A","email":"two@@example.com"}""", "email" },
        { $$"""{"name":"A","email":"{{new string('e', 250)}}@x.io"}""", "email" },
        { """{"name":"A","email":"a@example.com","phone":"call me"}""", "phone" },
        { $$"""{"name":"A","email":"a@example.com","phone":"{{new string('1', 33)}}"}""", "phone" },
        { """{"name":5,"email":"a@example.com"}""", "name" },
        { """{"name":"A","email":"a@example.com","phone":1234}""", "phone" },
        { """{"name":"A","email":["a@example.com"]}""", "email" },
        { """{"name":"A","email":"a@example.com""", "body" },
        { "null", "body" },
        { "[]", "body" },
        // Control (Cc) and format (Cf) characters: a NUL, a zero-width space, a right-to-left override, a BOM.
        { """{"name":"A\u0000B","email":"a@example.com"}""", "name" },
        { """{"name":"Nice\u202Egnp.exe","email":"a@example.com"}""", "name" },
        { """{"name":"A","email":"ops\u200B@example.com"}""", "email" },
        { """{"name":"A","email":"\uFEFFops@example.com"}""", "email" },
        { """{"name":"A","email":"a@example.com","phone":"555\u00AD0100"}""", "phone" },
        // A format character beyond the basic plane (a Unicode tag, which hides text): two UTF-16 units.
        { """{"name":"A\uDB40\uDC41","email":"a@example.com"}""", "name" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task AnInvalidCustomerIsRefusedWithAProblemNamingTheField(string body, string field)
    {
        var response = await customers.PostRawAsync("/customers", body);

        await response.ExpectValidationProblemAsync(field);
    }

    [Fact]
    public async Task EveryInvalidFieldIsReportedAtOnce()
    {
        var response = await customers.PostJsonAsync("/customers", new { name = "", email = "nope", phone = "x" });

        await response.ExpectValidationProblemAsync("name", "email", "phone");
    }

    [Fact]
    public async Task UnknownFieldsAreIgnored()
    {
        var response = await customers.PostJsonAsync("/customers", new { name = "Extra", email = Unique.Email(), loyalty = 3 });

        var created = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.False(created.TryGetProperty("loyalty", out _));
    }

    [Fact]
    public async Task AnEmailAlreadyTakenIgnoringCaseIsAConflict()
    {
        var email = Unique.Email("taken");
        await CreateAsync(email: email);

        var response = await customers.PostJsonAsync("/customers", new { name = "Copycat", email = email.ToUpperInvariant() });

        var problem = await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(email.ToUpperInvariant(), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// "é" typed as one code point or as "e" and a combining accent is one e-mail: stored in NFC, judged unique in
    /// NFC, found by a search typed either way.
    /// </summary>
    [Fact]
    public async Task AnEmailIsOneEmailHoweverItsAccentsAreComposed()
    {
        var local = $"jos\u00e9-{Unique.Token()}";
        var composed = $"{local}@example.com";
        var decomposed = composed.Normalize(System.Text.NormalizationForm.FormD);
        Assert.NotEqual(composed, decomposed);

        var created = await CreateAsync(name: "Jose\u0301 Decomposed", email: decomposed);
        var duplicate = await customers.PostJsonAsync("/customers", new { name = "Copycat", email = composed });

        Assert.Equal(composed, created.GetProperty("email").GetString());
        Assert.Equal("Jos\u00e9 Decomposed", created.GetProperty("name").GetString());
        await duplicate.ExpectProblemAsync(HttpStatusCode.Conflict);
        var found = await (await customers.GetAsync($"/customers?search={Uri.EscapeDataString(decomposed)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetInt64(), found.GetProperty("data").EnumerateArray().Single().GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task ConcurrentCreatesWithOneEmailCreateExactlyOneCustomer()
    {
        var email = Unique.Email("race");

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            customers.PostJsonAsync("/customers", new { name = $"Racer {i}", email })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(11, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var matches = await (await customers.GetAsync($"/customers?search={Uri.EscapeDataString(email)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(1, matches.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task AnUnknownCustomerIsNotFound()
    {
        var response = await customers.GetAsync($"/customers/{long.MaxValue}");

        var problem = await response.ExpectProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatingACustomerReplacesItsFieldsAndKeepsItsCreationTime()
    {
        var created = await CreateAsync();
        var id = created.GetProperty("id").GetInt64();
        var email = Unique.Email("renamed");

        var response = await customers.PutJsonAsync($"/customers/{id}", new { name = "Renamed Ltd", email });

        var updated = await response.ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(id, updated.GetProperty("id").GetInt64());
        Assert.Equal("Renamed Ltd", updated.GetProperty("name").GetString());
        Assert.Equal(email, updated.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, updated.GetProperty("phone").ValueKind);
        Assert.Equal(created.GetProperty("created_at").GetString(), updated.GetProperty("created_at").GetString());
        Assert.True(updated.GetProperty("updated_at").GetDateTime() >= created.GetProperty("updated_at").GetDateTime());
        var fetched = await (await customers.GetAsync($"/customers/{id}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(updated.GetRawText(), fetched.GetRawText());
    }

    [Fact]
    public async Task ACustomerMayKeepItsOwnEmailInAnotherCase()
    {
        var created = await CreateAsync();
        var email = created.GetProperty("email").GetString()!.ToUpperInvariant();

        var response = await customers.PutJsonAsync($"/customers/{created.GetProperty("id")}", new { name = "Same", email });

        Assert.Equal(email, (await response.ExpectAsync(HttpStatusCode.OK)).GetProperty("email").GetString());
    }

    [Fact]
    public async Task UpdatingToAnotherCustomersEmailIsAConflictAndChangesNothing()
    {
        var first = await CreateAsync();
        var second = await CreateAsync();

        var response = await customers.PutJsonAsync($"/customers/{second.GetProperty("id")}",
            new { name = "Thief", email = first.GetProperty("email").GetString() });

        await response.ExpectProblemAsync(HttpStatusCode.Conflict);
        var unchanged = await (await customers.GetAsync($"/customers/{second.GetProperty("id")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(second.GetRawText(), unchanged.GetRawText());
    }

    [Fact]
    public async Task UpdatingAnUnknownCustomerIsNotFound()
    {
        var response = await customers.PutJsonAsync($"/customers/{long.MaxValue}", new { name = "Ghost", email = Unique.Email() });

        await response.ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UpdatingWithAnInvalidBodyIsRefused()
    {
        var created = await CreateAsync();

        var response = await customers.PutJsonAsync($"/customers/{created.GetProperty("id")}", new { name = "", email = "bad" });

        await response.ExpectValidationProblemAsync("name", "email");
    }

    [Fact]
    public async Task DeletingACustomerHidesItEverywhere()
    {
        var created = await CreateAsync();
        var id = created.GetProperty("id").GetInt64();
        var email = created.GetProperty("email").GetString()!;

        var response = await customers.DeleteAsync($"/customers/{id}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength ?? 0);
        await (await customers.GetAsync($"/customers/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await customers.PutJsonAsync($"/customers/{id}", new { name = "Back", email })).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await customers.DeleteAsync($"/customers/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var internalLookup = fixture.Service(Resources.CustomersApi);
        await (await internalLookup.GetAsync($"/internal/customers/{id}")).ExpectProblemAsync(HttpStatusCode.NotFound);
        var listed = await (await customers.GetAsync($"/customers?search={Uri.EscapeDataString(email)}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(0, listed.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task ADeletedCustomersEmailCanBeRegisteredAgain()
    {
        var email = Unique.Email("reused");
        var first = await CreateAsync(email: email);
        await customers.DeleteAsync($"/customers/{first.GetProperty("id")}");

        var second = await CreateAsync(email: email.ToUpperInvariant());

        Assert.NotEqual(first.GetProperty("id").GetInt64(), second.GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task TheSampleCustomerExists()
    {
        var acme = await customers.GetFromJsonAsync<JsonElement>("/customers/1");

        Assert.Equal("ACME Corp", acme.GetProperty("name").GetString());
        Assert.Equal("ops@acme.com", acme.GetProperty("email").GetString());
    }
}
