using System.Text;
using System.Text.Json;
using Challenge.StackHarness.Lambda;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Challenge.IntegrationTests.Lambda;

/// <summary>The published Native AOT bootstrap, driven through the Runtime API as AWS Lambda would drive it.</summary>
[Collection(StackCollection.Name)]
public sealed class LambdaBootstrapTests(StackFixture fixture, ITestOutputHelper output)
{
    private static readonly TimeSpan answerTimeout = TimeSpan.FromSeconds(30);
    private const string Route = "/orchestrator/create-and-confirm-order";

    private readonly TestRecords records = new(fixture);

    /// <summary>The function runs outside Development, as deployed: its route takes a client's token, acting for its own customer.</summary>
    private string ClientAuthorization(long customer) => $"Bearer {fixture.CreateToken("client", Resources.Orchestrator, customerId: customer)}";

    private Task<IReadOnlyDictionary<string, string>> ConfigurationAsync() => fixture.Stack.EnvironmentOfAsync(Resources.Orchestrator);

    private async Task<(string Body, long Customer)> OrderBodyAsync(string key, long qty = 1)
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10, priceCents: 2_500);
        return ($$"""{"customer_id":{{customer}},"items":[{"product_id":{{product}},"qty":{{qty}}}],"idempotency_key":"{{key}}"}""", customer);
    }

    [Fact]
    public async Task ARestApiEventIsAnsweredInPayloadFormat1()
    {
        await using var function = await LambdaFunction.StartAsync(await ConfigurationAsync());
        var (body, customer) = await OrderBodyAsync(Unique.Token(), qty: 2);
        var restEvent = JsonSerializer.Serialize(new
        {
            resource = "/orchestrator/create-and-confirm-order",
            path = Route,
            httpMethod = "POST",
            headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Authorization"] = ClientAuthorization(customer) },
            multiValueHeaders = new Dictionary<string, string[]> { ["Content-Type"] = ["application/json"], ["Authorization"] = [ClientAuthorization(customer)] },
            queryStringParameters = (object?)null,
            multiValueQueryStringParameters = (object?)null,
            requestContext = new { requestId = "gateway-request-1", stage = "prod", httpMethod = "POST" },
            body,
            isBase64Encoded = false,
        });

        var result = await function.Emulator.InvokeAsync(restEvent, answerTimeout);

        Assert.False(result.IsError, result.Body);
        var answer = JsonDocument.Parse(result.Body).RootElement;
        Assert.Equal(201, answer.GetProperty("statusCode").GetInt32());
        Assert.False(answer.GetProperty("isBase64Encoded").GetBoolean());
        Assert.StartsWith("application/json", answer.GetProperty("multiValueHeaders").GetProperty("Content-Type")[0].GetString(), StringComparison.Ordinal);
        var envelope = JsonDocument.Parse(answer.GetProperty("body").GetString()!).RootElement;
        Assert.True(envelope.GetProperty("success").GetBoolean());
        Assert.Equal(5_000, envelope.GetProperty("data").GetProperty("order").GetProperty("total_cents").GetInt64());
        // Neither the body nor a header names a correlation id: API Gateway's request id is the fallback.
        Assert.Equal("gateway-request-1", envelope.GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task AnHttpApiEventWithAStagePrefixAndABase64BodyIsAnsweredInPayloadFormat2()
    {
        await using var function = await LambdaFunction.StartAsync(await ConfigurationAsync());
        var (body, customer) = await OrderBodyAsync(Unique.Token());
        var httpEvent = JsonSerializer.Serialize(new
        {
            version = "2.0",
            routeKey = "POST /orchestrator/create-and-confirm-order",
            rawPath = $"/prod{Route}",
            rawQueryString = "source=test",
            cookies = (string[])["session=abc"],
            headers = new Dictionary<string, string>
            {
                ["content-type"] = "application/json", ["x-correlation-id"] = "v2-correlation", ["authorization"] = ClientAuthorization(customer),
            },
            requestContext = new { requestId = "gateway-request-2", stage = "prod", http = new { method = "POST", path = $"/prod{Route}" } },
            body = Convert.ToBase64String(Encoding.UTF8.GetBytes(body)),
            isBase64Encoded = true,
        });

        var result = await function.Emulator.InvokeAsync(httpEvent, answerTimeout);

        Assert.False(result.IsError, result.Body);
        var answer = JsonDocument.Parse(result.Body).RootElement;
        Assert.Equal(201, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal("v2-correlation", answer.GetProperty("headers").GetProperty("X-Correlation-Id").GetString());
        Assert.Equal(JsonValueKind.Array, answer.GetProperty("cookies").ValueKind);
        var envelope = JsonDocument.Parse(answer.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("v2-correlation", envelope.GetProperty("correlationId").GetString());
        Assert.Equal("CONFIRMED", envelope.GetProperty("data").GetProperty("order").GetProperty("status").GetString());
    }

    [Fact]
    public async Task AnEventThatIsNotFromApiGatewayIsReportedAsAnInvocationErrorAndTheFunctionGoesOn()
    {
        await using var function = await LambdaFunction.StartAsync(await ConfigurationAsync());

        var invalid = await function.Emulator.InvokeAsync("""{"detail-type":"Scheduled Event","source":"aws.events"}""", answerTimeout);
        var unparsable = await function.Emulator.InvokeAsync("not json at all", answerTimeout);
        var health = await function.Emulator.InvokeAsync(HealthEvent(), answerTimeout);

        Assert.True(invalid.IsError);
        Assert.Equal("Runtime.InvalidEvent", invalid.ErrorType);
        Assert.Equal("Runtime.InvalidEvent", JsonDocument.Parse(invalid.Body).RootElement.GetProperty("errorType").GetString());
        Assert.True(unparsable.IsError);
        Assert.False(health.IsError, health.Body);
        Assert.Equal(200, JsonDocument.Parse(health.Body).RootElement.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task ABodyOver64KiBIsRefusedWith413BeforeThePipelineRunsAndCreatesNothing()
    {
        await using var function = await LambdaFunction.StartAsync(await ConfigurationAsync());
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        // A valid order, padded with whitespace to 100 KiB: only its size is wrong.
        var order = $$"""{"customer_id":{{customer}},"items":[{"product_id":{{product}},"qty":1}],"idempotency_key":"{{Unique.Token()}}"}""";
        var body = order + new string(' ', 100 * 1024 - order.Length);
        var httpEvent = JsonSerializer.Serialize(new
        {
            version = "2.0",
            rawPath = Route,
            rawQueryString = "",
            headers = new Dictionary<string, string>
            {
                ["content-type"] = "application/json", ["x-correlation-id"] = "too-large", ["authorization"] = ClientAuthorization(customer),
            },
            requestContext = new { requestId = "gateway-request-3", stage = "$default", http = new { method = "POST", path = Route } },
            body,
            isBase64Encoded = false,
        });

        var result = await function.Emulator.InvokeAsync(httpEvent, answerTimeout);
        var health = await function.Emulator.InvokeAsync(HealthEvent(), answerTimeout);

        Assert.False(result.IsError, result.Body);
        var answer = JsonDocument.Parse(result.Body).RootElement;
        Assert.Equal(413, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", answer.GetProperty("headers").GetProperty("Content-Type").GetString());
        var problem = JsonDocument.Parse(answer.GetProperty("body").GetString()!).RootElement;
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        Assert.StartsWith("https://tools.ietf.org/html/rfc9110#", problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Equal($"The request body is {100 * 1024} bytes; at most 65536 are accepted.", problem.GetProperty("detail").GetString());
        Assert.Equal("too-large", problem.GetProperty("correlationId").GetString());
        Assert.Equal(10, await records.StockAsync(product));
        Assert.Empty(await records.OrdersOfAsync(customer));
        Assert.Equal(200, JsonDocument.Parse(health.Body).RootElement.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task AFloodOfJunkTokensFromOneSourceAddressLeavesAClientAtAnotherServed()
    {
        // Five tokens not checked yet per address and second: the limit in front of the signature check.
        var configuration = new Dictionary<string, string>(await ConfigurationAsync()) { ["RateLimits__UnverifiedTokensPerSecond"] = "5" };
        await using var function = await LambdaFunction.StartAsync(configuration);
        var (body, customer) = await OrderBodyAsync(Unique.Token());
        string Event(string sourceIp, string authorization) => JsonSerializer.Serialize(new
        {
            version = "2.0",
            rawPath = Route,
            rawQueryString = "",
            headers = new Dictionary<string, string> { ["content-type"] = "application/json", ["authorization"] = authorization },
            requestContext = new { requestId = Unique.Token(), stage = "$default", http = new { method = "POST", path = Route, sourceIp } },
            body,
            isBase64Encoded = false,
        });
        async Task<int> StatusOfAsync(string gatewayEvent)
        {
            var result = await function.Emulator.InvokeAsync(gatewayEvent, answerTimeout);
            Assert.False(result.IsError, result.Body);
            return JsonDocument.Parse(result.Body).RootElement.GetProperty("statusCode").GetInt32();
        }

        // Junk until its address's budget is spent (three refusals in a row), then at once the client from elsewhere.
        var flood = new List<int>();
        while (flood.Count < 200 && !(flood.Count >= 3 && flood[^3..].All(status => status == 429)))
        {
            flood.Add(await StatusOfAsync(Event("203.0.113.7", $"Bearer junk.{flood.Count}.token")));
        }
        var served = await StatusOfAsync(Event("198.51.100.9", ClientAuthorization(customer)));

        Assert.All(flood, status => Assert.True(status is 401 or 429, $"{status}"));
        Assert.Equal([429, 429, 429], flood[^3..]);
        Assert.Equal(201, served);
        Assert.Single(await records.OrdersOfAsync(customer));
    }

    [Fact]
    public async Task AResponseTheRuntimeApiRefusesFailsItsInvocationAndTheFunctionServesTheNext()
    {
        await using var function = await LambdaFunction.StartAsync(await ConfigurationAsync());

        // Every response is now "too large", as one over Lambda's 6 MB is: the Runtime API answers 413.
        function.Emulator.MaxResponseBytes = 0;
        var refused = await function.Emulator.InvokeAsync(HealthEvent(), answerTimeout);
        function.Emulator.MaxResponseBytes = RuntimeApiEmulator.ResponseLimitBytes;
        var next = await function.Emulator.InvokeAsync(HealthEvent(), answerTimeout);

        Assert.True(refused.IsError);
        Assert.Equal("Runtime.ResponseRefused", refused.ErrorType);
        Assert.False(next.IsError, next.Body);
        Assert.Equal(200, JsonDocument.Parse(next.Body).RootElement.GetProperty("statusCode").GetInt32());
    }

    [Fact]
    public async Task TheProcessEndsWhenTheRuntimeApiIsGone()
    {
        await using var function = await LambdaFunction.StartAsync(await ConfigurationAsync());
        await function.Emulator.FirstPoll.WaitAsync(answerTimeout);

        await function.Emulator.StopAsync();

        await function.Process.WaitForExitAsync().WaitAsync(answerTimeout);
        Assert.Equal(0, function.Process.ExitCode);
    }

    [Fact]
    public async Task ACustomersApiAnsweringHtmlIsABadGatewayProblemAndNothingIsCreated()
    {
        // What a proxy or a maintenance page in front of the Customers API answers: 200, but not the API's JSON.
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var maintenancePage = builder.Build();
        maintenancePage.MapGet("/{**path}", () => Results.Content("<html><body>Back soon</body></html>", "text/html"));
        await maintenancePage.StartAsync();
        var configuration = (await ConfigurationAsync()).ToDictionary(c => c.Key, c => c.Value);
        configuration["CUSTOMERS_API_URL"] = maintenancePage.Urls.Single();
        await using var function = await LambdaFunction.StartAsync(configuration);
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var httpEvent = JsonSerializer.Serialize(new
        {
            version = "2.0",
            rawPath = Route,
            rawQueryString = "",
            headers = new Dictionary<string, string> { ["content-type"] = "application/json", ["authorization"] = ClientAuthorization(customer) },
            requestContext = new { requestId = "gateway-request-4", stage = "$default", http = new { method = "POST", path = Route } },
            body = $$"""{"customer_id":{{customer}},"items":[{"product_id":{{product}},"qty":1}],"idempotency_key":"{{Unique.Token()}}"}""",
            isBase64Encoded = false,
        });

        var result = await function.Emulator.InvokeAsync(httpEvent, answerTimeout);

        Assert.False(result.IsError, result.Body);
        var answer = JsonDocument.Parse(result.Body).RootElement;
        Assert.Equal(502, answer.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/problem+json", answer.GetProperty("headers").GetProperty("Content-Type").GetString());
        var problem = JsonDocument.Parse(answer.GetProperty("body").GetString()!).RootElement;
        Assert.Equal("validate_customer", problem.GetProperty("step").GetString());
        Assert.Equal("The Customers API answered 200 with a body that is not the expected JSON.", problem.GetProperty("detail").GetString());
        Assert.Equal(10, await records.StockAsync(product));
        Assert.Empty(await records.OrdersOfAsync(customer));
    }

    [Fact]
    public async Task AFailureAtStartUpIsReportedAsAnInitErrorAndTheProcessEnds()
    {
        var broken = (await ConfigurationAsync()).ToDictionary(c => c.Key, c => c.Value);
        broken["Auth__SigningKey__PrivateKey"] = "not-a-key";
        await using var function = await LambdaFunction.StartAsync(broken);

        var initError = await function.Emulator.InitError.WaitAsync(answerTimeout);
        await function.Process.WaitForExitAsync().WaitAsync(answerTimeout);

        Assert.Equal("Runtime.InitError", initError.ErrorType);
        Assert.Contains("Auth", JsonDocument.Parse(initError.Body).RootElement.GetProperty("errorMessage").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, function.Process.ExitCode);
    }

    /// <summary>
    /// As deployed: the function's configuration names the secret that holds its private key, never the key, which it
    /// reads once at start through the AWS Parameters and Secrets extension with its session token. The service tokens
    /// it then signs are accepted by both APIs.
    /// </summary>
    [Fact]
    public async Task ThePrivateKeyIsReadAtStartFromSecretsManagerThroughTheExtensionAndIsNoEnvironmentVariable()
    {
        var (configuration, key) = await WithoutPrivateKeyAsync();
        await using var extension = await SecretsExtensionEmulator.StartAsync(new Dictionary<string, string> { [KeySecret] = key });
        configuration["Lambda__SigningKeySecret"] = KeySecret;
        configuration["AWS_SESSION_TOKEN"] = extension.SessionToken;
        configuration["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = extension.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var function = await LambdaFunction.StartAsync(configuration);

        foreach (var attempt in new[] { "first", "second" })
        {
            var (body, customer) = await OrderBodyAsync(Unique.Token());
            var result = await function.Emulator.InvokeAsync(HttpApiEvent(body, customer, $"secret-{attempt}"), answerTimeout);
            Assert.False(result.IsError, result.Body);
            Assert.Equal(201, JsonDocument.Parse(result.Body).RootElement.GetProperty("statusCode").GetInt32());
        }

        Assert.Equal(1, extension.Reads);
        Assert.DoesNotContain(function.Process.StartInfo.Environment.Values, value => value?.Contains(key, StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task ASecretTheExtensionRefusesFailsTheStartAsAnInitErrorNamingTheSecret()
    {
        var (configuration, key) = await WithoutPrivateKeyAsync();
        await using var extension = await SecretsExtensionEmulator.StartAsync(new Dictionary<string, string> { [KeySecret] = key });
        configuration["Lambda__SigningKeySecret"] = KeySecret;
        configuration["AWS_SESSION_TOKEN"] = "a session token of another sandbox";
        configuration["PARAMETERS_SECRETS_EXTENSION_HTTP_PORT"] = extension.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var function = await LambdaFunction.StartAsync(configuration);

        var initError = await function.Emulator.InitError.WaitAsync(answerTimeout);
        await function.Process.WaitForExitAsync().WaitAsync(answerTimeout);

        Assert.Equal("Runtime.InitError", initError.ErrorType);
        var message = JsonDocument.Parse(initError.Body).RootElement.GetProperty("errorMessage").GetString();
        Assert.Contains(KeySecret, message, StringComparison.Ordinal);
        Assert.Contains("401", message, StringComparison.Ordinal);
        Assert.DoesNotContain(key, initError.Body, StringComparison.Ordinal);
    }

    private const string KeySecret = "challenge/orchestrator-key";

    /// <summary>The orchestrator's configuration without its private key, and the key.</summary>
    private async Task<(Dictionary<string, string> Configuration, string Key)> WithoutPrivateKeyAsync()
    {
        var configuration = (await ConfigurationAsync()).ToDictionary(c => c.Key, c => c.Value);
        Assert.True(configuration.Remove("Auth__SigningKey__PrivateKey", out var key));
        return (configuration, key);
    }

    private string HttpApiEvent(string body, long customer, string correlationId) => JsonSerializer.Serialize(new
    {
        version = "2.0",
        rawPath = Route,
        rawQueryString = "",
        headers = new Dictionary<string, string>
        {
            ["content-type"] = "application/json", ["x-correlation-id"] = correlationId, ["authorization"] = ClientAuthorization(customer),
        },
        requestContext = new { requestId = correlationId, stage = "$default", http = new { method = "POST", path = Route } },
        body,
        isBase64Encoded = false,
    });

    [Fact]
    public async Task ColdStartsOfTheAotBootstrapAndOfTheJitBuildAreMeasured()
    {
        const int runs = 5;
        var aot = new List<double>();
        var jit = new List<double>();
        double aotResident = 0;
        for (var run = 0; run < runs; run++)
        {
            foreach (var isAot in new[] { true, false })
            {
                await using var function = await LambdaFunction.StartAsync(await ConfigurationAsync(), isAot);
                var result = await function.Emulator.InvokeAsync(HealthEvent(), answerTimeout);
                var elapsed = function.SinceSpawn.Elapsed.TotalMilliseconds;
                Assert.False(result.IsError, result.Body);
                (isAot ? aot : jit).Add(elapsed);
                if (isAot)
                {
                    aotResident = Math.Max(aotResident, function.ResidentMiB());
                }
            }
        }

        static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        output.WriteLine($"cold start (spawn to first answered invocation), median of {runs}: " +
            $"AOT {Median(aot):0} ms, JIT {Median(jit):0} ms, ratio {Median(aot) / Median(jit):0.00}; AOT resident {aotResident:0.0} MiB; " +
            $"zip {new FileInfo(LambdaFunction.PackagePath).Length / 1024.0 / 1024.0:0.0} MiB");
    }

    private static string HealthEvent() => JsonSerializer.Serialize(new
    {
        version = "2.0",
        rawPath = "/alive",
        rawQueryString = "",
        headers = new Dictionary<string, string>(),
        requestContext = new { requestId = Guid.NewGuid().ToString(), stage = "$default", http = new { method = "GET", path = "/alive" } },
        isBase64Encoded = false,
    });
}
