using Challenge.Contracts.Customers;
using Challenge.Contracts.Downstream;
using Challenge.ServiceDefaults.Auth;

namespace Challenge.OrdersApi.Customers;

/// <summary>
/// Asks the Customers API whether a customer exists and may order (<c>GET /internal/customers/{id}</c>, with a
/// service token this service mints). A failure of that service is never the client's fault: it becomes a 502,
/// 503 or 504 (<see cref="Downstream"/>, as for the orchestrator), never a 404, a 400 or a 500.
/// </summary>
public sealed class CustomerDirectory(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string ServiceName = ServiceNames.CustomersApi;

    /// <summary>Null when the customer exists; otherwise the problem to answer.</summary>
    public async Task<OrderOutcome?> CheckAsync(long customerId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/internal/customers/{customerId}");
        request.Headers.Authorization = new("Bearer", tokens.GetToken(ServiceName));
        var customer = await Downstream.SendAsync(http, request, OrdersJson.Default.CustomerSnapshot, "Customers API", cancellationToken);
        return customer.Failure is { } failure ? (OrderOutcome)failure.ToProblem() : null;
    }
}
