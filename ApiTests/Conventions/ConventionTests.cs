using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Conventions;

/// <summary>What every service promises (README, "Behaviour worth knowing"), proved on the Customers API.</summary>
[Collection(ServicesCollection.Name)]
public sealed class ConventionTests(ServicesFixture fixture)
{
    private const string CorrelationHeader = "X-Correlation-Id";

    private readonly HttpClient customers = fixture.Operator(Resources.CustomersApi);

    private static string? CorrelationOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(CorrelationHeader, out var values) ? values.Single() : null;

    [Theory]
    [InlineData("GET", "/customers/1")]
    [InlineData("GET", "/customers/999999999999")]
    [InlineData("GET", "/no-such-route")]
    [InlineData("POST", "/customers")]
    public async Task EveryResponseEchoesTheCallersCorrelationId(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new StringContent("{not json", Encoding.UTF8, "application/json");
        }
        request.Headers.Add(CorrelationHeader, "req-789");

        var response = await customers.SendAsync(request);

        Assert.Equal("req-789", CorrelationOf(response));
    }

    [Fact]
    public async Task AResponseWithoutACorrelationIdFromTheCallerGetsANewOne()
    {
        var first = CorrelationOf(await customers.GetAsync("/customers/1"));
        var second = CorrelationOf(await customers.GetAsync("/customers/1"));

        Assert.False(string.IsNullOrWhiteSpace(first));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task AnUnusableCorrelationIdIsReplaced()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/customers/1");
        request.Headers.TryAddWithoutValidation(CorrelationHeader, new string('x', 500));

        var response = await customers.SendAsync(request);

        var id = CorrelationOf(response);
        Assert.NotNull(id);
        Assert.True(id.Length <= 128);
    }

    [Fact]
    public async Task AnUnknownRouteIsANotFoundProblem()
    {
        await (await customers.GetAsync("/definitely/not/here")).ExpectProblemAsync(HttpStatusCode.NotFound);
        await (await customers.GetAsync("/customers/not-a-number")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnUnsupportedMethodIsAMethodNotAllowedProblem()
    {
        var response = await customers.PatchAsync("/customers/1", new StringContent("{}", Encoding.UTF8, "application/json"));

        await response.ExpectProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    [Fact]
    public async Task JsonNestedDeeperThan64LevelsIsRefusedWith400()
    {
        var body = $$"""{"name":"Deep","email":"deep@example.com","extra":{{new string('[', 100)}}{{new string(']', 100)}}}""";

        var response = await customers.PostRawAsync("/customers", body);

        await response.ExpectValidationProblemAsync("body");
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsRefusedWith415()
    {
        var response = await customers.PostAsync("/customers", new StringContent("name=A", Encoding.UTF8, "application/x-www-form-urlencoded"));

        await response.ExpectProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("{\"name\":\"\\u0000\",\"email\":\"a@b.co\"}")]
    [InlineData("{\"name\":\"A\",\"email\":\"a@b.co\",\"phone\":\"\\ud800\"}")]
    [InlineData("{\"name\":\"A\",\"email\":\"a@b.co\",\"name\":\"B\",\"name\":{}}")]
    [InlineData("\u00ff\u00fe{}")]
    [InlineData("{\"name\":1e999,\"email\":\"a@b.co\"}")]
    public async Task HostileBodiesNeverCauseAServerError(string body)
    {
        var response = await customers.PostRawAsync("/customers", body);

        Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task HealthAndLivenessAnswerWithoutAToken()
    {
        var anonymous = fixture.Client(Resources.CustomersApi);

        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task ABurstOverTheRateLimitIsRefusedWithRetryAfterAndTheServiceStaysHealthy()
    {
        var limited = fixture.Host(Instances.CustomersApiRateLimited).Client(
            fixture.CreateToken("operator", Resources.CustomersApi, subject: "operator-in-a-hurry"));
        // The token is validated once, so that the burst meets the caller's budget, not its address's for unverified tokens.
        await (await limited.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);

        var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(i =>
            limited.PostJsonAsync("/customers", new { name = $"Burst {i}", email = Unique.Email("burst") })));

        var refused = burst.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(burst.Count(r => r.StatusCode == HttpStatusCode.Created), 1, 10);
        Assert.NotEmpty(refused);
        Assert.All(burst, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, $"{(int)r.StatusCode}"));
        await refused[0].ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(refused[0].Headers.RetryAfter?.Delta);
        // Reads have their own budget, and the writes' comes back after the wait it announced.
        await (await limited.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await Task.Delay(refused[0].Headers.RetryAfter!.Delta!.Value);
        await (await limited.PostJsonAsync("/customers", new { name = "After the burst", email = Unique.Email("after") })).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await limited.GetAsync("/health")).StatusCode);
    }

    /// <summary>
    /// A flood of forged tokens from one address is turned away by the address's budget for unverified tokens, before any
    /// signature is checked (a 429, not a 401), while a caller whose token was already validated goes on being served.
    /// </summary>
    [Fact]
    public async Task AFloodOfForgedTokensFromOneAddressIsThrottledBeforeTheirSignaturesAreChecked()
    {
        var instance = fixture.Host(Instances.CustomersApiRateLimited);
        var honest = instance.Client(fixture.CreateToken("operator", Resources.CustomersApi, subject: "operator-under-attack"));
        await (await honest.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        var attacker = Challenge.Identity.SigningKey.Generate();
        string Forged(int i) => Challenge.Identity.TokenFactory.Create(attacker, "challenge", Resources.CustomersApi, "operator", $"mallory-{i}",
            TimeSpan.FromMinutes(5), TimeSpan.Zero);

        var flood = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => instance.Client(Forged(i)).GetAsync("/customers/1")));
        var honestDuringTheFlood = await honest.GetAsync("/customers/1");

        Assert.All(flood, r => Assert.True(r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, $"{(int)r.StatusCode}"));
        Assert.InRange(flood.Count(r => r.StatusCode == HttpStatusCode.Unauthorized), 1, 15);
        var throttled = flood.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        await throttled.ExpectProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.NotNull(throttled.Headers.RetryAfter?.Delta);
        await honestDuringTheFlood.ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesEveryEndpointForOperatorsAndItsUiIsServedInDevelopment()
    {
        await (await fixture.Client(Resources.CustomersApi).GetAsync("/openapi/v1.json")).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Operator(Resources.CustomersApi).GetAsync("/api-docs/index.html")).StatusCode);

        var document = await (await fixture.Operator(Resources.CustomersApi).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var paths = document.GetProperty("paths");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        foreach (var path in new[] { "/customers", "/customers/{id}", "/internal/customers/{id}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        }
        var development = fixture.Host(Instances.CustomersApiDevelopment).Client();
        await (await development.GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var ui = await development.GetAsync("/api-docs/index.html");
        Assert.Equal(HttpStatusCode.OK, ui.StatusCode);
        Assert.Contains("swagger", await ui.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The documents say what the code does: every operation summarised, query parameters typed as the binder reads them, XML comments in.</summary>
    [Fact]
    public async Task TheOpenApiDocumentsSummariseEveryOperationAndTypeTheirQueryParameters()
    {
        foreach (var service in new[] { Resources.CustomersApi, Resources.OrdersApi, Resources.Orchestrator })
        {
            var document = await (await fixture.Operator(service).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
                {
                    Assert.True(operation.Value.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0,
                        $"{service}: {operation.Name.ToUpperInvariant()} {path.Name} has no summary");
                }
            }
        }

        var orders = await (await fixture.Operator(Resources.OrdersApi).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        var list = orders.GetProperty("paths").GetProperty("/orders").GetProperty("get");
        var parameters = list.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        Assert.Equal("integer", TypeOf(parameters["limit"]));
        Assert.Equal("integer", TypeOf(parameters["customer_id"]));
        Assert.True(parameters["from"].TryGetProperty("format", out var format) && format.GetString() == "date-time", parameters["from"].GetRawText());
        // The handler's XML comment is the operation's description.
        Assert.Contains("a client's list holds its own customer's orders", list.GetProperty("description").GetString(), StringComparison.Ordinal);

        // A nullable parameter's type is a list of "integer" and "null" in OpenAPI 3.1.
        static string? TypeOf(JsonElement schema) => schema.GetProperty("type") is { ValueKind: JsonValueKind.Array } types
            ? types.EnumerateArray().Select(t => t.GetString()).First(t => t != "null")
            : schema.GetProperty("type").GetString();
    }

    /// <summary>Every setting a service reads is checked as it starts: a bad one stops it, naming the setting, before any request.</summary>
    [Theory]
    [InlineData("Database:MaxPoolSize", "0")]
    [InlineData("RateLimits:WritesPerSecond", "0")]
    [InlineData("RequestTimeouts:Default", "00:10:00")]
    [InlineData("Orders:IdempotencyKeyLifetime", "00:00:10")]
    public async Task AServiceWithABadSettingRefusesToStartAndNamesIt(string setting, string value)
    {
        var host = fixture.UnstartedOrdersApi(new() { [setting] = value });
        try
        {
            var refusal = Record.Exception(() => host.Services);
            Assert.True(refusal is OptionsValidationException && refusal.Message.Contains(setting, StringComparison.Ordinal),
                $"Expected an OptionsValidationException naming {setting}; got: {refusal}");
        }
        finally
        {
            await ((IAsyncDisposable)host).DisposeAsync();
        }
    }
}
