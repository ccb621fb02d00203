using System.Net;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.ApiTests.Orchestrator;

[Collection(ServicesCollection.Name)]
public sealed class OrchestratorTests(ServicesFixture fixture)
{
    private const string Path = OrchestratorCalls.Path;

    private readonly TestRecords records = new(fixture);
    private readonly OrchestratorCalls orchestrator = new(fixture);

    private HttpClient ClientOf(long customerId) => orchestrator.ClientOf(customerId);

    private Task<HttpResponseMessage> CallAsync(long customerId, IEnumerable<(long ProductId, long Qty)> items, string? key,
        string? correlationId = null, Action<HttpRequestMessage>? configure = null) =>
        orchestrator.CallAsync(customerId, items, key, correlationId, configure);

    private static bool IsReplay(HttpResponseMessage response) => OrchestratorCalls.IsReplay(response);

    [Fact]
    public async Task OneCallValidatesTheCustomerCreatesAndConfirmsTheOrderAndAnswersTheDocumentedEnvelope()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10, priceCents: 129_900);

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
        Assert.Equal(7, await records.StockAsync(product));
        var stored = await (await records.Orders.GetAsync($"/orders/{order.GetProperty("id")}")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("CONFIRMED", stored.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ARetryWithTheSameKeyReplaysTheStoredBodyEvenWithAnotherCorrelationId()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        var first = await CallAsync(customer, [(product, 2)], key, "first-attempt");
        var firstBody = await first.Content.ReadAsStringAsync();

        var retry = await CallAsync(customer, [(product, 2)], key, "second-attempt");

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(IsReplay(retry));
        Assert.False(IsReplay(first));
        Assert.Equal(firstBody, await retry.Content.ReadAsStringAsync());
        Assert.Single(await records.OrdersOfAsync(customer));
        Assert.Equal(8, await records.StockAsync(product));
    }

    [Fact]
    public async Task TwentyConcurrentCallsWithOneKeyMakeOneOrderAndTwentyIdenticalBodies()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 50);
        var key = Unique.Token();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CallAsync(customer, [(product, 5)], key, $"caller-{i}")));

        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsByteArrayAsync()));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(bodies.Select(Convert.ToBase64String).Distinct());
        Assert.Single(responses, r => !IsReplay(r));
        var orders = await records.OrdersOfAsync(customer);
        Assert.Equal("CONFIRMED", Assert.Single(orders).GetProperty("status").GetString());
        Assert.Equal(45, await records.StockAsync(product));
        await records.AssertNoneLeftCreatedAsync(customer);
    }

    [Fact]
    public async Task OneKeyKeepsOneRecordAndItsReplayIsTheFirstAnswerByteForByte()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        var first = await (await CallAsync(customer, [(product, 2)], key, "first-call")).Content.ReadAsByteArrayAsync();

        var replay = await CallAsync(customer, [(product, 2)], key, "second-call");

        Assert.True(IsReplay(replay));
        Assert.Equal(first, await replay.Content.ReadAsByteArrayAsync());
        // One record, under the orchestration's own operation: nothing of the key can expire apart from the rest.
        Assert.Equal(1, await records.CountKeyRecordsOfAsync(customer));
        Assert.Equal(1, await records.CountKeyRecordsOfAsync(customer, operation: "orchestrate"));
        Assert.Equal(8, await records.StockAsync(product));
    }

    [Fact]
    public async Task TheSameKeyWithAnotherBodyIsRefusedAndChangesNothing()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        await (await CallAsync(customer, [(product, 1)], key)).ExpectAsync(HttpStatusCode.Created);

        var problem = await (await CallAsync(customer, [(product, 2)], key)).ExpectProblemAsync(HttpStatusCode.UnprocessableEntity);

        Assert.False(string.IsNullOrEmpty(problem.GetProperty("correlationId").GetString()));
        Assert.Equal(9, await records.StockAsync(product));
    }

    [Fact]
    public async Task AnUnknownCustomerIsNotFoundAtTheValidateCustomerStep()
    {
        var product = await records.CreateProductAsync(stock: 10);

        var problem = await (await CallAsync(long.MaxValue, [(product, 1)], Unique.Token(), "req-404")).ExpectProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal("validate_customer", problem.GetProperty("step").GetString());
        Assert.Equal("req-404", problem.GetProperty("correlationId").GetString());
        Assert.Equal(10, await records.StockAsync(product));
    }

    [Fact]
    public async Task InsufficientStockIsAConflictAtTheCreateOrderStepThatTellsOnlyStaffHowMuchIsLeft()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 2);

        var toClient = await (await CallAsync(customer, [(product, 3)], Unique.Token())).ExpectProblemAsync(HttpStatusCode.Conflict);
        var toOperator = await (await fixture.Operator(Resources.Orchestrator).PostJsonAsync(OrchestratorCalls.Path, new
        {
            customer_id = customer, items = new[] { new { product_id = product, qty = 3 } }, idempotency_key = Unique.Token(),
        })).ExpectProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("create_order", toClient.GetProperty("step").GetString());
        var named = toClient.GetProperty("unavailable")[0];
        Assert.Equal(product, named.GetProperty("product_id").GetInt64());
        Assert.False(named.TryGetProperty("available", out _) || named.TryGetProperty("requested", out _), named.GetRawText());
        Assert.DoesNotContain("available", toClient.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, toOperator.GetProperty("unavailable")[0].GetProperty("available").GetInt64());
        Assert.Equal(2, await records.StockAsync(product));
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
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();

        // A client written for the first version sends a random header beside a fixed body key: the body key is the one that counts.
        var first = await CallAsync(customer, [(product, 1)], key, configure: r => r.Headers.Add("X-Idempotency-Key", Unique.Token()));
        var second = await CallAsync(customer, [(product, 1)], key, configure: r => r.Headers.Add("X-Idempotency-Key", Unique.Token()));
        var headerOnly = await CallAsync(customer, [(product, 1)], key: null, configure: r => r.Headers.Add("Idempotency-Key", key));

        await first.ExpectAsync(HttpStatusCode.Created);
        Assert.True(IsReplay(second));
        Assert.True(IsReplay(headerOnly));
        Assert.Equal(9, await records.StockAsync(product));
    }

    [Fact]
    public async Task WithoutABodyKeyTwoKeyHeadersThatDisagreeAreABadRequestAndNothingIsCreated()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);

        var response = await CallAsync(customer, [(product, 1)], key: null, configure: r =>
        {
            r.Headers.Add("Idempotency-Key", Unique.Token());
            r.Headers.Add("X-Idempotency-Key", Unique.Token());
        });

        var problem = await response.ExpectValidationProblemAsync("Idempotency-Key");
        Assert.False(problem.TryGetProperty("step", out _));
        Assert.Empty(await records.OrdersOfAsync(customer));
        Assert.Equal(10, await records.StockAsync(product));
    }

    [Fact]
    public async Task TheCorrelationIdFallsBackToTheHeader()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);

        var response = await CallAsync(customer, [(product, 1)], Unique.Token(), configure: r => r.Headers.Add("X-Correlation-Id", "from-header"));

        Assert.Equal("from-header", (await response.ExpectAsync(HttpStatusCode.Created)).GetProperty("correlationId").GetString());
    }

    [Fact]
    public async Task OutsideDevelopmentTheOrchestratorTakesClientsAndOperatorsOnlyAndARefusedCallCreatesNothing()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        Task<HttpResponseMessage> CallAs(string? token) => fixture.Client(Resources.Orchestrator, token).PostJsonAsync(Path, new
        {
            customer_id = customer,
            items = new[] { new { product_id = product, qty = 1 } },
            idempotency_key = Unique.Token(),
        });

        await (await CallAs(null)).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        await (await CallAs(fixture.CreateToken("service", Resources.Orchestrator, subject: Resources.OrdersApi))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await CallAs(fixture.CreateToken("client", Resources.OrdersApi, customerId: customer))).ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Empty(await records.OrdersOfAsync(customer));
        Assert.Equal(10, await records.StockAsync(product));

        await (await CallAs(fixture.CreateToken("client", Resources.Orchestrator, customerId: customer))).ExpectAsync(HttpStatusCode.Created);
        await (await CallAs(fixture.CreateToken("operator", Resources.Orchestrator))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(8, await records.StockAsync(product));
    }

    [Fact]
    public async Task TwoClientsWithTheSameKeyGetTwoOrders()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        Task<HttpResponseMessage> CallAs(string client) =>
            fixture.Client(Resources.Orchestrator, fixture.CreateToken("client", Resources.Orchestrator, subject: client, customerId: customer))
                .PostJsonAsync(Path, new { customer_id = customer, items = new[] { new { product_id = product, qty = 1 } }, idempotency_key = key });

        var first = await (await CallAs("client-north")).ExpectAsync(HttpStatusCode.Created);
        var second = await CallAs("client-south");

        Assert.False(IsReplay(second));
        Assert.NotEqual(first.GetProperty("data").GetProperty("order").GetProperty("id").GetInt64(),
            (await second.ExpectAsync(HttpStatusCode.Created)).GetProperty("data").GetProperty("order").GetProperty("id").GetInt64());
        Assert.Equal(8, await records.StockAsync(product));
        Assert.True(IsReplay(await CallAs("client-north")));
    }

    [Fact]
    public async Task TheOrdersApisOrchestrationRouteOpensToTheOrchestratorsServiceTokenAlone()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
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
        await (await PostAs(fixture.CreateToken("operator", Resources.OrdersApi))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await PostAs(fixture.CreateToken("service", Resources.OrdersApi, subject: Resources.OrdersApi))).ExpectProblemAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await records.OrdersOfAsync(customer));
        Assert.Equal(10, await records.StockAsync(product));

        await (await PostAs(fixture.CreateToken("service", Resources.OrdersApi, subject: Resources.Orchestrator))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(9, await records.StockAsync(product));
    }


    [Fact]
    public async Task TheOrchestratorServesHealthAndItsOpenApiDocument()
    {
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client(Resources.Orchestrator).GetAsync("/health")).StatusCode);
        var document = await (await fixture.Operator(Resources.Orchestrator).GetAsync("/openapi/v1.json")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(document.GetProperty("paths").TryGetProperty(Path, out _));
    }
}
