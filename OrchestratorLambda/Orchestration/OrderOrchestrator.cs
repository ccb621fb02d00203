using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>
/// Two calls: the customer check, then one call that makes the Orders API create the order confirmed, reserve its
/// stock and keep the record of the key, all in one transaction. A retry after any failure finds either nothing
/// done (and does it) or the record (and answers it): never a second order, never an order left half done.
/// </summary>
public sealed class OrderOrchestrator(CustomersClient customers, OrdersClient orders, IOptions<JsonOptions> json)
{
    /// <param name="caller">Who calls (<see cref="Callers"/>): the key is theirs, and the Orders API scopes it to them.</param>
    public async Task<IResult> CreateAndConfirmAsync(string caller, long customerId, IReadOnlyList<OrchestrationLine> lines, string key,
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
                { Failure: { Status: StatusCodes.Status422UnprocessableEntity } misuse } => Problem(misuse, Steps.CreateOrder),
                _ => Problem(notValid, Steps.ValidateCustomer),
            };
        }
        var order = await orders.OrchestrateAsync(caller, key, customer.Value!, lines, correlationId, cancellationToken);
        return order.Failure is { } failed ? Problem(failed, Steps.CreateOrder) : Envelope(order.Value!, order.Replayed);
    }

    /// <summary>The seed's envelope, rendered from the kept record: a replay is the first answer byte for byte.</summary>
    private StoredJson Envelope(OrchestrationRecord record, bool replayed) => new(
        StatusCodes.Status201Created,
        JsonSerializer.Serialize(new OrchestrationResponse(true, record.CorrelationId, new OrchestrationData(record.Customer, record.Order)),
            (JsonTypeInfo<OrchestrationResponse>)json.Value.SerializerOptions.GetTypeInfo(typeof(OrchestrationResponse))),
        replayed: replayed);

    /// <summary>A problem that names the step that failed, with what the service said and when to retry.</summary>
    public static IResult Problem(StepFailure failure, string? step)
    {
        var extensions = failure.Extensions.ToDictionary(e => e.Key, e => (object?)e.Value);
        if (step is not null)
        {
            extensions["step"] = step;
        }
        var problem = TypedResults.Problem(failure.Detail, statusCode: failure.Status, extensions: extensions);
        return failure.RetryAfterSeconds is { } seconds ? Problems.WithRetryAfter(problem, seconds) : problem;
    }
}
