using Challenge.Contracts.Orchestration;

namespace Challenge.OrdersApi.Orchestrations;

/// <summary>The orchestrator's own operations. Only the orchestrator's service token opens them.</summary>
public static class OrchestrationEndpoints
{
    public static IEndpointRouteBuilder MapOrchestrationsApi(this IEndpointRouteBuilder app)
    {
        var orchestrations = app.MapGroup("/internal/orchestrations")
            .WithTags("Internal")
            .RequireCallers(ServiceNames.Orchestrator)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orchestrations.MapPost("/", Orchestrate)
            .WithSummary("Create an order confirmed under a key, in one transaction (the orchestrator only)")
            .Produces<OrchestrationRecord>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status409Conflict);
        orchestrations.MapPost("/lookup", Find)
            .WithSummary("Find the record of an orchestration completed under a key (the orchestrator only)")
            .Produces<OrchestrationRecord>();
        return app;
    }

    /// <remarks>Creates the order CONFIRMED under the <c>Idempotency-Key</c>, in one transaction; a retry replays the record.</remarks>
    public static async Task<OrderOutcome> Orchestrate(OrchestrationCall request, HttpRequest http, OrderOrchestration orchestration,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = IdempotencyKeys.ReadRequired(http.HeaderValue, errors);
        var lines = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        return await orchestration.OrchestrateAsync(request.Customer!, lines, request.CorrelationId!, request.Caller!, request.CallerIsOperator, key!,
            cancellationToken);
    }

    /// <remarks>
    /// The record kept under the key for this customer and these lines, if an orchestration completed: what the
    /// orchestrator answers a retry with while the Customers API is down.
    /// </remarks>
    public static async Task<OrderOutcome> Find(OrchestrationLookup request, HttpRequest http, OrderOrchestration orchestration, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = IdempotencyKeys.ReadRequired(http.HeaderValue, errors);
        var lines = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        return await orchestration.FindAsync(request.CustomerId!.Value, lines, request.Caller!, key!, cancellationToken);
    }
}
