using System.Net.Http.Headers;
using Challenge.Identity;
using Challenge.StackHarness;

namespace Challenge.TestSupport;

/// <summary>
/// The services as a test talks to them, whichever way they run: in the test's own process (the API tier), or as
/// the AppHost's processes (the integration tier). Both run against the database the AppHost's model declares.
/// </summary>
public interface ITestServices
{
    /// <summary>The services' environment: outside Development, public endpoints require tokens.</summary>
    string Environment { get; }

    /// <summary>The private key of each signer of the deployment: the operator's, and each calling service's own.</summary>
    IReadOnlyDictionary<string, SigningKey> SigningKeys { get; }

    /// <summary>A client of <paramref name="resource"/> with the given bearer token, or none.</summary>
    HttpClient Client(string resource, string? token = null);

    Task<string> ConnectionStringAsync(string database);
}

public static class TestServices
{
    /// <summary>
    /// A token as the deployment's signers sign it (what <c>./run.sh token</c> signs): a person's with the operator
    /// key, a service's (by default the orchestrator's) with the calling service's own key; or with <paramref name="key"/>.
    /// A client's names the customer it acts for (<paramref name="customerId"/>).
    /// </summary>
    public static string CreateToken(this ITestServices services, string role, string audience, TimeSpan? expiresIn = null,
        TimeSpan? notBefore = null, string? issuer = null, string? subject = null, SigningKey? key = null, long? customerId = null)
    {
        subject ??= role == Roles.Service ? Resources.Orchestrator : $"test-{role}";
        key ??= services.SigningKeys[role == Roles.Service ? subject : Signers.Operator];
        return TokenFactory.Create(key, issuer ?? LocalStack.Issuer, audience, role, subject, expiresIn ?? TimeSpan.FromHours(1), notBefore ?? TimeSpan.Zero,
            customerId);
    }

    /// <summary>A client of <paramref name="resource"/> that presents an operator token.</summary>
    public static HttpClient Operator(this ITestServices services, string resource) =>
        services.Client(resource, services.CreateToken(Roles.Operator, resource));

    /// <summary>A client of <paramref name="resource"/> that presents the orchestrator's service token (accepted on every internal route).</summary>
    public static HttpClient Service(this ITestServices services, string resource) =>
        services.Client(resource, services.CreateToken(Roles.Service, resource, subject: Resources.Orchestrator));

    /// <summary>A client of <paramref name="resource"/> that presents a client's token: a business, acting for its own customer.</summary>
    public static HttpClient AsClient(this ITestServices services, string resource, long customerId, string? subject = null) =>
        services.Client(resource, services.CreateToken(Roles.Client, resource, subject: subject ?? $"client-of-{customerId}", customerId: customerId));

    /// <summary>An HTTP client of an address, with the given bearer token, or none.</summary>
    public static HttpClient Client(HttpMessageHandler handler, Uri baseAddress, string? token)
    {
        var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }
}

public static class Resources
{
    public const string CustomersApi = RunningStack.CustomersApi;
    public const string OrdersApi = RunningStack.OrdersApi;
    public const string Orchestrator = RunningStack.Orchestrator;
    public const string OrderEvents = RunningStack.OrderEvents;
    public const string Database = RunningStack.Database;
}
