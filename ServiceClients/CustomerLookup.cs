using Challenge.Contracts;
using Challenge.Contracts.Customers;
using Challenge.Identity;

namespace Challenge.ServiceClients;

/// <summary>
/// The Customers API's internal lookup, as every service that takes orders asks it (the Orders API for a client's
/// order, the orchestrator for its own): <c>GET /internal/customers/{id}</c> with a service token the caller mints
/// (<c>aud</c> customers-api). A failure of that service becomes a 502, 503 or 504 by the one <see cref="ServiceCalls"/> rule.
/// </summary>
public sealed class CustomerLookup(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string ServiceName = ServiceNames.CustomersApi;

    public Task<StepResult<Customer>> GetAsync(long customerId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/internal/customers/{customerId}");
        request.Headers.Authorization = new("Bearer", tokens.GetToken(ServiceName));
        return ServiceCalls.SendAsync(http, request, ContractsJson.Default.Customer, "Customers API", cancellationToken);
    }
}
