using System.Net.Http.Json;
using Challenge.ServiceDefaults.Auth;

namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>The Customers API, called with a service token this orchestrator mints (<c>aud</c> = customers-api).</summary>
public sealed class CustomersClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string ServiceName = "customers-api";

    public Task<StepResult<CustomerView>> GetAsync(long customerId, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/internal/customers/{customerId}");
        request.Headers.Authorization = new("Bearer", tokens.GetToken(ServiceName));
        return Downstream.SendAsync(http, request, OrchestratorJson.Default.CustomerView, "Customers API", cancellationToken);
    }
}

/// <summary>The Orders API, called with a service token this orchestrator mints (<c>aud</c> = orders-api).</summary>
public sealed class OrdersClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string ServiceName = "orders-api";
    private const string Service = "Orders API";

    /// <summary>The orchestration completed under <paramref name="key"/>, if there was one (null value otherwise).</summary>
    public Task<StepResult<OrchestrationRecord>> FindRecordAsync(string key, CancellationToken cancellationToken) =>
        Downstream.SendAsync(http, Keyed(HttpMethod.Get, "/internal/orchestrations", key), OrchestratorJson.Default.OrchestrationRecord,
            Service, cancellationToken, notFoundIsEmpty: true);

    public Task<StepResult<CreatedOrder>> CreateAsync(string key, long customerId, IReadOnlyList<OrchestrationLine> lines, CancellationToken cancellationToken)
    {
        var request = Keyed(HttpMethod.Post, "/orders", key);
        request.Content = JsonContent.Create(new NewOrderBody(customerId, lines), OrchestratorJson.Default.NewOrderBody);
        return Downstream.SendAsync(http, request, OrchestratorJson.Default.CreatedOrder, Service, cancellationToken);
    }

    public Task<StepResult<OrderView>> ConfirmAsync(long orderId, string key, CancellationToken cancellationToken) =>
        Downstream.SendAsync(http, Keyed(HttpMethod.Post, $"/orders/{orderId}/confirm", key), OrchestratorJson.Default.OrderView, Service, cancellationToken);

    /// <summary>Keeps the final answer under the key; the answer kept is returned (another call's, if it stored first).</summary>
    public Task<StepResult<OrchestrationRecord>> StoreRecordAsync(string key, OrchestrationRecord record, CancellationToken cancellationToken)
    {
        var request = Keyed(HttpMethod.Put, "/internal/orchestrations", key);
        request.Content = JsonContent.Create(record, OrchestratorJson.Default.OrchestrationRecord);
        return Downstream.SendAsync(http, request, OrchestratorJson.Default.OrchestrationRecord, Service, cancellationToken);
    }

    private HttpRequestMessage Keyed(HttpMethod method, string path, string key)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new("Bearer", tokens.GetToken(ServiceName));
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }
}
