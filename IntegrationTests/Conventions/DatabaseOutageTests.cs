using System.Net;
using Challenge.IntegrationTests.Infrastructure;

namespace Challenge.IntegrationTests.Conventions;

[Collection(StackCollection.Name)]
public sealed class DatabaseOutageTests(StackFixture fixture)
{
    [Fact]
    public async Task WhileTheDatabaseIsDownTheServicesSayUnavailableAndRecoverByThemselves()
    {
        var customers = fixture.Operator(Resources.CustomersApi);
        var orders = fixture.Operator(Resources.OrdersApi);
        await fixture.Stack.StopAsync(Resources.Database);
        try
        {
            await (await orders.GetAsync("/products/1")).ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            await (await orders.PostJsonAsync("/orders", new { customer_id = 1, items = new[] { new { product_id = 1, qty = 1 } } }))
                .ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await orders.GetAsync("/health")).StatusCode);
            var read = await customers.GetAsync("/customers/1");
            await read.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.NotNull(read.Headers.RetryAfter);
            var write = await customers.PostJsonAsync("/customers", new { name = "Outage", email = Unique.Email() });
            await write.ExpectProblemAsync(HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await customers.GetAsync("/health")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await customers.GetAsync("/alive")).StatusCode);
        }
        finally
        {
            await fixture.Stack.StartAsync(Resources.Database);
        }

        await (await customers.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await (await orders.GetAsync("/products/1")).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await customers.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await orders.GetAsync("/health")).StatusCode);
    }
}
