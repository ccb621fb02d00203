using System.Net.Http.Json;
using Challenge.Contracts;
using Challenge.Identity;
using Challenge.Contracts.Customers;
using Challenge.Contracts.Idempotency;
using Challenge.Contracts.Orchestration;
using Challenge.Contracts.Orders;

namespace Challenge.ServiceClients;

/// <summary>The Orders API, called with a service token this orchestrator mints (<c>aud</c> = orders-api, <c>sub</c> = orchestrator).</summary>
public sealed class OrdersClient(HttpClient http, ServiceTokenIssuer tokens)
{
    public const string ServiceName = ServiceNames.OrdersApi;
    private const string Service = "Orders API";

    /// <summary>Creates the order confirmed in one transaction under the key (or replays the record kept under it).</summary>
    public Task<StepResult<OrchestrationRecord>> OrchestrateAsync(string caller, bool callerIsOperator, string key, CustomerSnapshot customer,
        IReadOnlyList<OrderLine> lines, string correlationId, CancellationToken cancellationToken)
    {
        var request = Keyed("/internal/orchestrations", key);
        request.Content = JsonContent.Create(new OrchestrationCall(customer, Lines(lines), correlationId, caller, callerIsOperator),
            ContractsJson.Default.OrchestrationCall);
        return ServiceCalls.SendAsync(http, request, ContractsJson.Default.OrchestrationRecord, Service, cancellationToken);
    }

    /// <summary>The record of an orchestration completed under the key for this order, if there is one (null value otherwise).</summary>
    public Task<StepResult<OrchestrationRecord>> FindAsync(string caller, string key, long customerId, IReadOnlyList<OrderLine> lines,
        CancellationToken cancellationToken)
    {
        var request = Keyed("/internal/orchestrations/lookup", key);
        request.Content = JsonContent.Create(new OrchestrationLookup(customerId, Lines(lines), caller), ContractsJson.Default.OrchestrationLookup);
        return ServiceCalls.SendAsync(http, request, ContractsJson.Default.OrchestrationRecord, Service, cancellationToken, notFoundIsEmpty: true);
    }

    private static List<NewOrderLine?> Lines(IReadOnlyList<OrderLine> lines) => [.. lines.Select(l => new NewOrderLine(l.ProductId, l.Qty))];

    private HttpRequestMessage Keyed(string path, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Authorization = new("Bearer", tokens.GetToken(ServiceName));
        request.Headers.TryAddWithoutValidation(IdempotencyKeys.Header, key);
        return request;
    }
}
