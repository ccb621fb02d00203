using System.Net;
using Challenge.IntegrationTests.Infrastructure;

namespace Challenge.IntegrationTests.Conventions;

[Collection(StackCollection.Name)]
public sealed class DatabaseOutageTests(StackFixture fixture)
{
    [Fact]
    public async Task WhileTheDatabaseIsDownTheServiceSaysUnavailableAndRecoversByItself()
    {
        var customers = fixture.Operator(Resources.CustomersApi);
        await fixture.Stack.StopAsync(Resources.Database);
        try
        {
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
        Assert.Equal(HttpStatusCode.OK, (await customers.GetAsync("/health")).StatusCode);
    }
}
