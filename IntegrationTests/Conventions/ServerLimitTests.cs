using System.Net;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.TestSupport;

namespace Challenge.IntegrationTests.Conventions;

/// <summary>What the real server (Kestrel) enforces, which an in-process test host does not.</summary>
[Collection(StackCollection.Name)]
public sealed class ServerLimitTests(StackFixture fixture)
{
    private readonly HttpClient customers = fixture.Operator(Resources.CustomersApi);

    [Fact]
    public async Task ABodyLargerThan64KiBIsRefusedWith413()
    {
        var body = $$"""{"name":"{{new string('a', 70 * 1024)}}","email":"big@example.com"}""";

        var response = await customers.PostRawAsync("/customers", body);

        await response.ExpectProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }
}
