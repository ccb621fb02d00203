using System.Net;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Challenge.OrdersApi.Customers;

/// <summary>
/// Asks the Customers API whether a customer exists and may order (<c>GET /internal/customers/{id}</c>, with a
/// service token this service mints). A failure of that service is never the client's fault: it becomes a 502,
/// 503 or 504, never a 404 or a 400.
/// </summary>
public sealed class CustomerDirectory(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string ServiceName = ServiceNames.CustomersApi;

    /// <summary>Null when the customer exists; otherwise the problem to answer.</summary>
    public async Task<OrderOutcome?> CheckAsync(long customerId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/internal/customers/{customerId}");
        request.Headers.Authorization = new("Bearer", tokens.GetToken(ServiceName));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            OrderOutcome? outcome = response.StatusCode switch
            {
                HttpStatusCode.OK => null,
                HttpStatusCode.NotFound => Problems.NotFound($"Customer {customerId} does not exist."),
                HttpStatusCode.ServiceUnavailable => Unavailable("answered 503"),
                HttpStatusCode.GatewayTimeout or HttpStatusCode.RequestTimeout => Timeout(),
                _ => BadGateway($"answered {(int)response.StatusCode}"),
            };
            return outcome;
        }
        catch (BrokenCircuitException)
        {
            return Unavailable("is failing; calls are paused");
        }
        catch (TimeoutRejectedException)
        {
            return Timeout();
        }
        catch (HttpRequestException exception)
        {
            return Unavailable($"is unreachable ({exception.HttpRequestError})");
        }
    }

    private static RetryableProblem Unavailable(string what) => Problems.WithRetryAfter(
        TypedResults.Problem($"The Customers API {what}; the order was not created. Retry shortly.", statusCode: StatusCodes.Status503ServiceUnavailable),
        seconds: 2);

    private static ProblemHttpResult Timeout() =>
        TypedResults.Problem("The Customers API did not answer in time; the order was not created.", statusCode: StatusCodes.Status504GatewayTimeout);

    private static ProblemHttpResult BadGateway(string what) =>
        TypedResults.Problem($"The Customers API {what}; the order was not created.", statusCode: StatusCodes.Status502BadGateway);
}
