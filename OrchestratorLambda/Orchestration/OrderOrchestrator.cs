using Challenge.ServiceClients;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Challenge.Identity;
using Challenge.ApiConventions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Challenge.Contracts.Orchestration;
using Challenge.Contracts.Orders;

namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>
/// Two calls: the customer check, then one call that makes the Orders API create the order confirmed, reserve its
/// stock and keep the record of the key, all in one transaction. A retry after any failure finds either nothing
/// done (and does it) or the record (and answers it): never a second order, never an order left half done.
/// </summary>
public sealed class OrderOrchestrator(CustomerLookup customers, OrdersClient orders, IOptions<JsonOptions> json)
{
    /// <param name="caller">Who calls (<see cref="Callers"/>): the key is theirs, and the Orders API scopes it to them.</param>
    /// <param name="scope">Whose orders the caller may place: a client's own customer's (it then sees no stock figures), or every customer's.</param>
    public async Task<IResult> CreateAndConfirmAsync(string caller, CustomerScope scope, long customerId, IReadOnlyList<OrderLine> lines, string key,
        string correlationId, CancellationToken cancellationToken)
    {
        var customer = await customers.GetAsync(customerId, cancellationToken);
        if (customer.Failure is { } notValid)
        {
            // A completed orchestration still answers while the Customers API is down (or refuses).
            var kept = await orders.FindAsync(caller, key, customerId, lines, cancellationToken);
            return kept switch
            {
                { Value: { } record } => Envelope(record, replayed: true),
                { Failure: { Status: StatusCodes.Status422UnprocessableEntity } misuse } => misuse.ToProblem(Steps.CreateOrder),
                _ => notValid.ToProblem(Steps.ValidateCustomer),
            };
        }
        var order = await orders.OrchestrateAsync(caller, scope.CustomerId is null, key, customer.Value!.Snapshot(), lines, correlationId, cancellationToken);
        return order.Failure is { } failed ? failed.ToProblem(Steps.CreateOrder) : Envelope(order.Value!, order.Replayed);
    }

    /// <summary>The orchestrator's envelope, rendered from the kept record: a replay is the first answer byte for byte.</summary>
    private JsonTextResult Envelope(OrchestrationRecord record, bool replayed) => new(
        StatusCodes.Status201Created,
        JsonSerializer.Serialize(new OrchestrationResponse(true, record.CorrelationId, new OrchestrationData(record.Customer, record.Order)),
            (JsonTypeInfo<OrchestrationResponse>)json.Value.SerializerOptions.GetTypeInfo(typeof(OrchestrationResponse))),
        replayed: replayed);
}
