using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Challenge.ServiceDefaults.Http;
using Microsoft.Extensions.Logging;

namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>
/// Validates the customer, creates the order and confirms it, all under the client's Idempotency-Key, and keeps the
/// consolidated answer with the Orders API. Every step is idempotent under the key, so a retry after any failure
/// (this process dying between "created" and "confirmed" included) finishes the same order and moves no more stock.
/// </summary>
public sealed partial class OrderOrchestrator(
    CustomersClient customers, OrdersClient orders, IOptions<JsonOptions> json, ILogger<OrderOrchestrator> logger)
{
    public async Task<IResult> CreateAndConfirmAsync(long customerId, IReadOnlyList<OrchestrationLine> lines, string key,
        string correlationId, CancellationToken cancellationToken)
    {
        var fingerprint = OrchestrationRequest.Fingerprint(customerId, lines);

        // A completed orchestration answers as it was, whatever has changed since.
        var stored = await orders.FindRecordAsync(key, cancellationToken);
        if (stored.Failure is { } lookupFailed)
        {
            return Problem(lookupFailed, Steps.CreateOrder);
        }
        if (stored.Value is { } record)
        {
            return Answer(record, fingerprint, key, replayed: true);
        }

        var customer = await customers.GetAsync(customerId, cancellationToken);
        if (customer.Failure is { } notValid)
        {
            return Problem(notValid, Steps.ValidateCustomer);
        }
        var created = await orders.CreateAsync(key, customerId, lines, cancellationToken);
        if (created.Failure is { } notCreated)
        {
            return Problem(notCreated, Steps.CreateOrder);
        }
        var confirmed = await orders.ConfirmAsync(created.Value!.Id, key, cancellationToken);
        if (confirmed.Failure is { } notConfirmed)
        {
            return Problem(notConfirmed, Steps.ConfirmOrder);
        }

        // The service's own JSON options (generated metadata, the web encoder that writes '+' as it is).
        var body = JsonSerializer.Serialize(
            new OrchestrationResponse(true, correlationId, new OrchestrationData(customer.Value!, confirmed.Value!)),
            (JsonTypeInfo<OrchestrationResponse>)json.Value.SerializerOptions.GetTypeInfo(typeof(OrchestrationResponse)));
        var kept = await orders.StoreRecordAsync(key, new OrchestrationRecord(fingerprint, StatusCodes.Status201Created, body), cancellationToken);
        if (kept.Failure is { } notKept)
        {
            // The order is confirmed; only the record is missing, and a retry rebuilds it from the replayed steps.
            LogRecordNotKept(logger, key, notKept.Detail);
            return new StoredJson(StatusCodes.Status201Created, body);
        }
        // Another call with the same key may have finished first: its answer is the one every call gets.
        return Answer(kept.Value!, fingerprint, key, replayed: kept.Value!.Body != body);
    }

    private static IResult Answer(OrchestrationRecord record, string fingerprint, string key, bool replayed) =>
        record.Fingerprint == fingerprint
            ? new StoredJson(record.StatusCode, record.Body, replayed: replayed)
            : Problem(new StepFailure(StatusCodes.Status422UnprocessableEntity,
                $"The Idempotency-Key '{key}' was already used for a different order.", new Dictionary<string, JsonElement>()), step: null);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "The orchestration under key {Key} completed but its record was not kept: {Reason}")]
    private static partial void LogRecordNotKept(ILogger logger, string key, string reason);
}
