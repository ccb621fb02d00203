using System.Net;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.StackHarness;
using Challenge.TestSupport;
using Dapper;
using MySqlConnector;

namespace Challenge.IntegrationTests.Orchestrator;

/// <summary>The Orders API stopped, killed and frozen under the orchestrator's feet.</summary>
[Collection(StackCollection.Name)]
public sealed class OrchestratorFaultTests(StackFixture fixture)
{
    private readonly TestRecords records = new(fixture);
    private readonly OrchestratorCalls orchestrator = new(fixture);

    private Task<HttpResponseMessage> CallAsync(long customerId, IEnumerable<(long ProductId, long Qty)> items, string? key) =>
        orchestrator.CallAsync(customerId, items, key);

    [Fact]
    public async Task WithTheOrdersApiStoppedTheCallFailsAsUnavailableWithinTheDeadline()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
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
        Assert.Equal(10, await records.StockAsync(product));
    }

    [Fact]
    public async Task AnOrdersApiKilledInsideTheOrdersTransactionLeavesNothingAndTheRetryMakesExactlyOneConfirmedOrder()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        // Every orchestration's key record, whatever its state: a claim left uncompleted has no body to find it by.
        Task<long> CountOrchestrationKeysAsync() => records.CountInOrdersDbAsync("SELECT COUNT(*) FROM idempotency_keys WHERE operation = 'orchestrate'", new { });
        var keysBefore = await CountOrchestrationKeysAsync();
        Task<HttpResponseMessage> attempt;
        // Hold the product's row, so that the orchestration's transaction stops right after claiming the key.
        await using (var blocker = new MySqlConnection(await fixture.ConnectionStringAsync(RunningStack.OrdersDb)))
        {
            await blocker.OpenAsync();
            await using var hold = await blocker.BeginTransactionAsync();
            await blocker.ExecuteAsync("SELECT id FROM products WHERE id = @product FOR UPDATE", new { product }, hold);
            attempt = CallAsync(customer, [(product, 2)], key);
            await TestRecords.WaitUntilTheReservationWaitsAsync(blocker, hold, product, attempt);

            await fixture.Stack.KillAsync(Resources.OrdersApi);
        }

        var failed = await (await attempt).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("create_order", failed.GetProperty("step").GetString());
        await fixture.Stack.StartAsync(Resources.OrdersApi);
        Assert.Equal(10, await records.StockAsync(product));
        Assert.Equal(0, await records.CountKeyRecordsOfAsync(customer));
        Assert.Equal(keysBefore, await CountOrchestrationKeysAsync());

        var retry = await (await CallAsync(customer, [(product, 2)], key)).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("CONFIRMED", retry.GetProperty("data").GetProperty("order").GetProperty("status").GetString());
        Assert.Equal("CONFIRMED", Assert.Single(await records.OrdersOfAsync(customer)).GetProperty("status").GetString());
        Assert.Equal(8, await records.StockAsync(product));
        await records.AssertNoneLeftCreatedAsync(customer);
    }

    [Fact]
    public async Task ADeadlineThatRunsOutNamesTheStepThatWasRunningAndTheRetryFinishesTheSameOrder()
    {
        var customer = await records.CreateCustomerAsync();
        var shortDeadline = StackFixture.Client(await fixture.Stack.StartInstanceAsync(Instances.OrchestratorShortDeadline),
            fixture.CreateToken("client", Resources.Orchestrator, customerId: customer));
        var product = await records.CreateProductAsync(stock: 10);
        var key = Unique.Token();
        var body = new { customer_id = customer, items = new[] { new { product_id = product, qty = 3 } }, idempotency_key = key };
        await fixture.Stack.FreezeAsync(Resources.OrdersApi);
        try
        {
            var problem = await (await shortDeadline.PostJsonAsync(OrchestratorCalls.Path, body)).ExpectProblemAsync(HttpStatusCode.GatewayTimeout);

            Assert.Equal("create_order", problem.GetProperty("step").GetString());
        }
        finally
        {
            await fixture.Stack.ThawAsync(Resources.OrdersApi);
        }

        // The Orders API may still have finished the call it was given: the retry answers that very order, or makes it.
        await (await CallAsync(customer, [(product, 3)], key)).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("CONFIRMED", Assert.Single(await records.OrdersOfAsync(customer)).GetProperty("status").GetString());
        Assert.Equal(7, await records.StockAsync(product));
    }
}
