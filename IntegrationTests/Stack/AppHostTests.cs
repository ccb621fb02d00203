using System.Net;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.Identity;
using Challenge.TestSupport;

namespace Challenge.IntegrationTests.Stack;

/// <summary>The stack as the AppHost wires it: real processes, real ports, the keys it hands out, and the README's own flow.</summary>
[Collection(StackCollection.Name)]
public sealed class AppHostTests(StackFixture fixture)
{
    private readonly TestRecords records = new(fixture);

    [Fact]
    public async Task EachServiceHoldsItsOwnPrivateKeyAndNoOneElsesAndNoServiceHoldsTheOperatorKey()
    {
        var privateKeys = fixture.SigningKeys.ToDictionary(k => k.Key, k => k.Value.PrivateKey);
        foreach (var service in new[] { Resources.CustomersApi, Resources.OrdersApi, Resources.Orchestrator, Resources.OrderEvents })
        {
            var environment = await fixture.Stack.EnvironmentOfAsync(service);
            var held = privateKeys.Where(k => environment.Values.Any(value => value.Contains(k.Value, StringComparison.Ordinal))).Select(k => k.Key);

            Assert.Equal(service is Resources.CustomersApi or Resources.OrderEvents ? [] : [service], held);
            Assert.Contains(fixture.SigningKeys[Signers.Operator].Trusted(Signers.Operator).PublicKey, environment.Values);
        }
    }

    /// <summary>
    /// The README's walkthrough, through the three processes: an operator registers a customer and a product; the business
    /// orders through the orchestrator with the documented body (a fixed key in the body, a random one in the header) and
    /// retries; one order is confirmed, the stock moved once, and the order is listed.
    /// </summary>
    [Fact]
    public async Task TheReadmesFlowRunsAcrossTheThreeServices()
    {
        var customer = await records.CreateCustomerAsync();
        var product = await records.CreateProductAsync(stock: 10, priceCents: 129_900);
        var client = fixture.AsClient(Resources.Orchestrator, customer);
        var body = new
        {
            customer_id = customer,
            items = new[] { new { product_id = product, qty = 2 } },
            idempotency_key = $"unique-key-{Unique.Token()}",
            correlation_id = "req-001",
        };
        async Task<HttpResponseMessage> OrderAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, OrchestratorCalls.Path)
            {
                Content = System.Net.Http.Json.JsonContent.Create(body),
            };
            request.Headers.Add("X-Idempotency-Key", Guid.NewGuid().ToString());
            return await client.SendAsync(request);
        }

        var first = await (await OrderAsync()).ExpectAsync(HttpStatusCode.Created);
        var retry = await OrderAsync();

        Assert.True(OrchestratorCalls.IsReplay(retry));
        Assert.Equal(first.GetRawText(), (await retry.ExpectAsync(HttpStatusCode.Created)).GetRawText());
        Assert.Equal("req-001", first.GetProperty("correlationId").GetString());
        var order = first.GetProperty("data").GetProperty("order");
        Assert.Equal(("CONFIRMED", 259_800L), (order.GetProperty("status").GetString(), order.GetProperty("total_cents").GetInt64()));
        var confirmed = await (await records.Orders.GetAsync($"/orders?status=CONFIRMED&customer_id={customer}&limit=10")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(order.GetProperty("id").GetInt64(), Assert.Single(confirmed.GetProperty("data").EnumerateArray()).GetProperty("id").GetInt64());
        Assert.Equal(8, await records.StockAsync(product));
    }
}
