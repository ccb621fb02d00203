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

        // A new order takes the steps straight away; the kept answer is looked up only when a step says this key
        // was seen before (a replay) or a step fails (a completed call still answers while a dependency is down).
        var customer = await customers.GetAsync(customerId, cancellationToken);
        if (customer.Failure is { } notValid)
        {
            return await KeptAnswerAsync(key, fingerprint, cancellationToken) ?? Problem(notValid, Steps.ValidateCustomer);
        }
        var created = await orders.CreateAsync(key, customerId, lines, cancellationToken);
        if (created.Failure is { } notCreated)
        {
            return await KeptAnswerAsync(key, fingerprint, cancellationToken) ?? Problem(notCreated, Steps.CreateOrder);
        }
        if (created.Replayed && await KeptAnswerAsync(key, fingerprint, cancellationToken) is { } kept)
        {
            return kept;
        }
        var confirmed = await orders.ConfirmAsync(created.Value!.Id, key, cancellationToken);
        if (confirmed.Failure is { } notConfirmed)
        {
            return Problem(notConfirmed, Steps.ConfirmOrder);
        }

        var body = JsonSerializer.Serialize(
            new OrchestrationResponse(true, correlationId, new OrchestrationData(customer.Value!, confirmed.Value!)),
            (JsonTypeInfo<OrchestrationResponse>)json.Value.SerializerOptions.GetTypeInfo(typeof(OrchestrationResponse)));
        var stored = await orders.StoreRecordAsync(key, new OrchestrationRecord(fingerprint, StatusCodes.Status201Created, body), cancellationToken);
        if (stored.Failure is { } notKept)
        {
            // The order is confirmed; only the record is missing, and a retry rebuilds it from the replayed steps.
            LogRecordNotKept(logger, key, notKept.Detail);
            return new StoredJson(StatusCodes.Status201Created, body);
        }
        // Another call with the same key may have finished first: its answer is the one every call gets.
        return Answer(stored.Value!, fingerprint, key, replayed: stored.Value!.Body != body);
    }

    /// <summary>The answer kept for a completed orchestration under the key (a replay, or a 422 for another body), if any.</summary>
    private async Task<IResult?> KeptAnswerAsync(string key, string fingerprint, CancellationToken cancellationToken)
    {
        var record = await orders.FindRecordAsync(key, cancellationToken);
        return record.Value is { } kept ? Answer(kept, fingerprint, key, replayed: true) : null;
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
