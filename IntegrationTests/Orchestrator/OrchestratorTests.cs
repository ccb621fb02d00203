using System.Net;
using System.Text;
using System.Text.Json;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.StackHarness;
using Dapper;
using MySqlConnector;

namespace Challenge.IntegrationTests.Orchestrator;

[Collection(StackCollection.Name)]
public sealed class OrchestratorTests(StackFixture fixture)
{
    private const string Path = "/orchestrator/create-and-confirm-order";

    private readonly Shop shop = new(fixture);
    private readonly Dictionary<long, HttpClient> clients = [];

    /// <summary>The business a customer is: a client of the orchestrator whose token acts for that customer.</summary>
    private HttpClient ClientOf(long customerId) =>
        clients.TryGetValue(customerId, out var client) ? client : clients[customerId] = fixture.AsClient(Resources.Orchestrator, customerId);

    private Task<HttpResponseMessage> CallAsync(long customerId, IEnumerable<(long ProductId, long Qty)> items, string? key,
        string? correlationId = null, Action<HttpRequestMessage>? configure = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["customer_id"] = customerId,
            ["items"] = items.Select(i => new { product_id = i.ProductId, qty = i.Qty }).ToList(),
        };
        if (key is not null)
        {
            body["idempotency_key"] = key;
        }
        if (correlationId is not null)
        {
            body["correlation_id"] = correlationId;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        configure?.Invoke(request);
        return ClientOf(customerId).SendAsync(request);
    }

    private static bool IsReplay(HttpResponseMessage response) => response.Headers.Contains("Idempotent-Replayed");

    [Fact]
    public async Task OneCallValidatesTheCustomerCreatesAndConfirmsTheOrderAndAnswersTheSeedsEnvelope()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10, priceCents: 129_900);

        var response = await CallAsync(customer, [(product, 3)], Unique.Token(), "req-789");

        var body = await response.ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(["success", "correlationId", "data"], body.EnumerateObject().Select(p => p.Name));
        Assert.True(body.GetProperty("success").GetBoolean());
        Assert.Equal("req-789", body.GetProperty("correlationId").GetString());
        Assert.Equal("req-789", response.Headers.GetValues("X-Correlation-Id").Single());
        var data = body.GetProperty("data");
        Assert.Equal(["id", "name", "email", "phone"], data.GetProperty("customer").EnumerateObject().Select(p => p.Name));
        Assert.Equal(customer, data.GetProperty("customer").GetProperty("id").GetInt64());
        var order = data.GetProperty("order");
        Assert.Equal(["id", "status", "total_cents", "items"], order.EnumerateObject().Select(p => p.Name));
        Assert.Equal("CONFIRMED", order.GetProperty("status").GetString());
        Assert.Equal(389_700, order.GetProperty("total_cents").GetInt64());
        var line = order.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(["product_id", "qty", "unit_price_cents", "subtotal_cents"], line.EnumerateObject().Select(p => p.Name));
        Assert.Equal((product, 3L, 129_900L, 389_700L), (line.GetProperty("product_id").GetInt64(), line.GetProperty("qty").GetInt64(),
            line.GetProperty("unit_price_cents").GetInt64(), line.GetProperty("subtotal_cents").GetInt64()));
        Assert.Equal(7, await shop.StockAsync(product));
        var stored = await (await shop.Orders.GetAsync($"/orders/{order.GetProperty("id")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("CONFIRMED", stored.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARetryWithTheSameKeyReplaysTheStoredBodyEvenWithAnotherCorrelationId()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        var first = await CallAsync(customer, [(product, 2)], key, "first-attempt");
        var firstBody = await first.Content.ReadAsStringAsync();

        var retry = await CallAsync(customer, [(product, 2)], key, "second-attempt");

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(IsReplay(retry));
        Assert.False(IsReplay(first));
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Single(await shop.OrdersOfAsync(customer));
        Assert.Equal(8, await shop.StockAsync(product));
    }

    [Fact]
    public async Task TwentyConcurrentCallsWithOneKeyMakeOneOrderAndTwentyIdenticalBodies()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 50);
        var key = Unique.Token();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CallAsync(customer, [(product, 5)], key, $"caller-{i}")));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(bodies.Select(Convert.ToBase64String).Distinct());
        Assert.Single(responses, r => !IsReplay(r));
        var orders = await shop.OrdersOfAsync(customer);
        Assert.Equal("CONFIRMED", Assert.Single(orders).GetProperty("status").GetString());
        Assert.Equal(45, await shop.StockAsync(product));
        await shop.AssertNoneLeftCreatedAsync(customer);
    }

    [Fact]
    public async Task OneKeyKeepsOneRecordAndItsReplayIsTheFirstAnswerByteForByte()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        var first = await (await CallAsync(customer, [(product, 2)], key, "first-call")).Content.ReadAsByteArrayAsync();

        var replay = await CallAsync(customer, [(product, 2)], key, "second-call");

        Assert.True(IsReplay(replay));
        Assert.Equal(first, await replay.Content.ReadAsByteArrayAsync());
        // One record, under the orchestration's own operation: nothing of the key can expire apart from the rest.
        Assert.Equal(1, await shop.CountKeyRecordsOfAsync(customer));
        Assert.Equal(1, await shop.CountKeyRecordsOfAsync(customer, operation: "orchestrate"));
        Assert.Equal(8, await shop.StockAsync(product));
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIsRefusedAndChangesNothing()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        await (await CallAsync(customer, [(product, 1)], key)).ExpectAsync(HttpStatusCode.Created);

        var problem = await (await CallAsync(customer, [(product, 2)], key)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.False(string.IsNullOrEmpty(problem.GetProperty("correlationId").GetString()));
        Assert.Equal(9, await shop.StockAsync(product));
    }

    [Fact]
    public async Task AnUnknownCustomerIsNotFoundAtTheValidateCustomerStep()
    {
        var product = await shop.CreateProductAsync(stock: 10);

        var problem = await (await CallAsync(long.MaxValue, [(product, 1)], Unique.Token(), "req-404")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("validate_customer", problem.GetProperty("step").GetString());
        Assert.Equal("req-404", problem.GetProperty("correlationId").GetString());
        Assert.Equal(10, await shop.StockAsync(product));
    }

    [Fact]
    public async Task InsufficientStockIsAConflictAtTheCreateOrderStep()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 2);

        var problem = await (await CallAsync(customer, [(product, 3)], Unique.Token())).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("create_order", problem.GetProperty("step").GetString());
        Assert.Equal(2, problem.GetProperty("unavailable")[0].GetProperty("available").GetInt64());
        Assert.Equal(2, await shop.StockAsync(product));
    }

    [Theory]
    [InlineData("""{"customer_id":1,"items":[{"product_id":1,"qty":1}]}""", "idempotency_key")]
    [InlineData("""{"customer_id":1,"items":[],"idempotency_key":"k"}""", "items")]
    [InlineData("""{"items":[{"product_id":1,"qty":1}],"idempotency_key":"k"}""", "customer_id")]
    [InlineData("""{"customer_id":1,"items":[{"product_id":1,"qty":0}],"idempotency_key":"k"}""", "items[0].qty")]
    [InlineData("""{"customer_id":1,"items":[{"product_id":1,"qty":"1"}],"idempotency_key":"k"}""", "items[0].qty")]
    [InlineData("""{"customer_id":1,"items":[{"product_id":1,"qty":1}],"idempotency_key":""}""", "idempotency_key")]
    // Each line is within its limit, the merged line is not: the Orders API's rule, judged here before any call.
    [InlineData("""{"customer_id":1,"items":[{"product_id":1,"qty":600000},{"product_id":1,"qty":600000}],"idempotency_key":"k"}""", "items")]
    public async Task AnInvalidBodyIsABadRequestWithoutAStep(string body, string field)
    {
        var response = await ClientOf(1).PostRawAsync(Path, body);

        var problem = await response.ExpectValidationProblemAsync(field);
        Assert.False(problem.TryGetProperty("step", out _));
        Assert.True(problem.TryGetProperty("correlationId", out _));
    }

    [Fact]
    public async Task TheBodysKeyWinsOverTheHeaderAndTheHeaderServesWhenTheBodyHasNone()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Unique.Token();

        // The seed sends a random header beside a fixed body key: the body key is the one that counts.
        var first = await CallAsync(customer, [(product, 1)], key, configure: r => r.Headers.Add("X-Idempotency-Key", Unique.Token()));
        var second = await CallAsync(customer, [(product, 1)], key, configure: r => r.Headers.Add("X-Idempotency-Key", Unique.Token()));
        var headerOnly = await CallAsync(customer, [(product, 1)], key: null, configure: r => r.Headers.Add("Idempotency-Key", key));

        await first.ExpectAsync(HttpStatusCode.Created);
        Assert.True(IsReplay(second));
        Assert.True(IsReplay(headerOnly));
        Assert.Equal(9, await shop.StockAsync(product));
    }

    [Fact]
    public async Task WithoutABodyKeyTwoKeyHeadersThatDisagreeAreABadRequestAndNothingIsCreated()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);

        var response = await CallAsync(customer, [(product, 1)], key: null, configure: r =>
        {
            r.Headers.Add("Idempotency-Key", Unique.Token());
            r.Headers.Add("X-Idempotency-Key", Unique.Token());
        });

        var problem = await response.ExpectValidationProblemAsync("Idempotency-Key");
        Assert.False(problem.TryGetProperty("step", out _));
        Assert.Empty(await shop.OrdersOfAsync(customer));
        Assert.Equal(10, await shop.StockAsync(product));
    }

    [Fact]
    public async Task TheCorrelationIdFallsBackToTheHeader()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);

        var response = await CallAsync(customer, [(product, 1)], Unique.Token(), configure: r => r.Headers.Add("X-Correlation-Id", "from-header"));

        Assert.Equal("from-header", (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task WithTheOrdersApiStoppedTheCallFailsAsUnavailableWithinTheDeadline()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        await fixture.Stack.StopAsync(Resources.OrdersApi);
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var response = await CallAsync(customer, [(product, 1)], Unique.Token());

            var problem = await response.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
            Assert.Equal("create_order", problem.GetProperty("step").GetString());
            Assert.NotNull(response.Headers.RetryAfter);
        }
        finally
        {
            await fixture.Stack.StartAsync(Resources.OrdersApi);
        }
        Assert.Equal(10, await shop.StockAsync(product));
    }

    [Fact]
    public async Task AnOrdersApiKilledInsideTheOrdersTransactionLeavesNothingAndTheRetryMakesExactlyOneConfirmedOrder()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        // Every orchestration's key record, whatever its state: a claim left uncompleted has no body to find it by.
        Task<long> CountOrchestrationKeysAsync() => shop.CountInOrdersDbAsync("SELECT COUNT(*) FROM idempotency_keys WHERE operation = 'orchestrate'", new { });
        var keysBefore = await CountOrchestrationKeysAsync();
        Task<HttpResponseMessage> attempt;
        // Hold the product's row, so that the orchestration's transaction stops right after claiming the key.
        await using (var blocker = new MySqlConnection(await fixture.Stack.ConnectionStringAsync(RunningStack.OrdersDb)))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("SELECT id FROM products WHERE id = @product FOR UPDATE", new { product }, hold);
            attempt = CallAsync(customer, [(product, 2)], key);
            await Shop.WaitUntilTheReservationWaitsAsync(blocker, hold, product, attempt);

            await fixture.Stack.KillAsync(Resources.OrdersApi);
        }

        var failed = await (await attempt).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("create_order", failed.GetProperty("step").GetString());
        await fixture.Stack.StartAsync(Resources.OrdersApi);
        Assert.Equal(10, await shop.StockAsync(product));
        Assert.Equal(0, await shop.CountKeyRecordsOfAsync(customer));
        Assert.Equal(keysBefore, await CountOrchestrationKeysAsync());

        var retry = await (await CallAsync(customer, [(product, 2)], key)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("CONFIRMED", retry.GetProperty("data").GetProperty("order").GetProperty("status").GetString());
        Assert.Equal("CONFIRMED", Assert.Single(await shop.OrdersOfAsync(customer)).GetProperty("status").GetString());
        Assert.Equal(8, await shop.StockAsync(product));
        await shop.AssertNoneLeftCreatedAsync(customer);
    }

    [Fact]
    public async Task ADeadlineThatRunsOutNamesTheStepThatWasRunningAndTheRetryFinishesTheSameOrder()
    {
        var customer = await shop.CreateCustomerAsync();
        var shortDeadline = StackFixture.Client(await fixture.Stack.StartInstanceAsync(Instances.OrchestratorShortDeadline),
            fixture.Stack.CreateToken("client", Resources.Orchestrator, customerId: customer));
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        var body = new { customer_id = customer, items = new[] { new { product_id = product, qty = 3 } }, idempotency_key = key };
        await fixture.Stack.FreezeAsync(Resources.OrdersApi);
        try
        {
            var problem = await (await shortDeadline.PostJsonAsync(Path, body)).ExpectProblemAsync(HttpStatusCode.GatewayTimeout);

            Assert.Equal("create_order", problem.GetProperty("step").GetString());
        }
        finally
        {
            await fixture.Stack.ThawAsync(Resources.OrdersApi);
        }

        // The Orders API may still have finished the call it was given: the retry answers that very order, or makes it.
        await (await CallAsync(customer, [(product, 3)], key)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("CONFIRMED", Assert.Single(await shop.OrdersOfAsync(customer)).GetProperty("status").GetString());
        Assert.Equal(7, await shop.StockAsync(product));
    }

    [Fact]
    public async Task OutsideDevelopmentTheOrchestratorTakesClientsAndOperatorsOnlyAndARefusedCallCreatesNothing()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        Task<HttpResponseMessage> CallAs(string? token) => fixture.Client(Resources.Orchestrator, token).PostJsonAsync(Path, new
        {
            customer_id = customer,
            items = new[] { new { product_id = product, qty = 1 } },
            idempotency_key = Unique.Token(),
        });

        await (await CallAs(null)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await CallAs(fixture.Stack.CreateToken("service", Resources.Orchestrator, subject: Resources.OrdersApi))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await CallAs(fixture.Stack.CreateToken("client", Resources.OrdersApi, customerId: customer))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await shop.OrdersOfAsync(customer));
        Assert.Equal(10, await shop.StockAsync(product));

        await (await CallAs(fixture.Stack.CreateToken("client", Resources.Orchestrator, customerId: customer))).ExpectAsync(HttpStatusCode.Created);
        await (await CallAs(fixture.Stack.CreateToken("operator", Resources.Orchestrator))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(8, await shop.StockAsync(product));
    }

    [Fact]
    public async Task TwoClientsWithTheSameKeyGetTwoOrders()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        Task<HttpResponseMessage> CallAs(string client) =>
            fixture.Client(Resources.Orchestrator, fixture.Stack.CreateToken("client", Resources.Orchestrator, subject: client, customerId: customer))
                .PostJsonAsync(Path, new { customer_id = customer, items = new[] { new { product_id = product, qty = 1 } }, idempotency_key = key });

        var first = await (await CallAs("client-north")).ExpectAsync(HttpStatusCode.Created);
        var second = await CallAs("client-south");

        Assert.False(IsReplay(second));
        Assert.NotEqual(first.GetProperty("data").GetProperty("order").GetProperty("id").GetInt64(),
            (await second.ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("order").GetProperty("id").GetInt64());
        Assert.Equal(8, await shop.StockAsync(product));
        Assert.True(IsReplay(await CallAs("client-north")));
    }

    [Fact]
    public async Task TheOrdersApisOrchestrationRouteOpensToTheOrchestratorsServiceTokenAlone()
    {
        var customer = await shop.CreateCustomerAsync();
        var product = await shop.CreateProductAsync(stock: 10);
        var body = new
        {
            customer = new { id = customer, name = "Forged", email = "forged@example.com", phone = (string?)null },
            items = new[] { new { product_id = product, qty = 1 } },
            correlation_id = "forged",
            caller = "sub:someone",
        };
        Task<HttpResponseMessage> PostAs(string? token)
        {
            var client = fixture.Client(Resources.OrdersApi, token);
            client.DefaultRequestHeaders.Add("Idempotency-Key", Unique.Token());
            return client.PostJsonAsync("/internal/orchestrations", body);
        }

        await (await PostAs(null)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await PostAs(fixture.Stack.CreateToken("operator", Resources.OrdersApi))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await PostAs(fixture.Stack.CreateToken("service", Resources.OrdersApi, subject: Resources.OrdersApi))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await shop.OrdersOfAsync(customer));
        Assert.Equal(10, await shop.StockAsync(product));

        await (await PostAs(fixture.Stack.CreateToken("service", Resources.OrdersApi, subject: Resources.Orchestrator))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(9, await shop.StockAsync(product));
    }


    [Fact]
    public async Task TheOrchestratorServesHealthAndItsOpenApiDocument()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client(Resources.Orchestrator).GetAsync("/health")).StatusCode);
        var document = await (await fixture.Operator(Resources.Orchestrator).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(document.GetProperty("paths").TryGetProperty(Path, out _));
    }
}
