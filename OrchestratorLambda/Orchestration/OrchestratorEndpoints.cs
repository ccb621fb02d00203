using Challenge.Contracts.Correlation;
using Challenge.ServiceDefaults;
using Challenge.OrchestratorLambda.Lambda;
using Challenge.Identity;
using Challenge.ApiConventions;
using Challenge.Contracts.Validation;
using Microsoft.Extensions.Options;
using Challenge.Contracts.Idempotency;

namespace Challenge.OrchestratorLambda.Orchestration;

public static class OrchestratorEndpoints
{
    public static IEndpointRouteBuilder MapOrchestratorApi(this IEndpointRouteBuilder app)
    {
        // The public edge of the product (behind API Gateway in AWS): clients and operators only, outside Development.
        // Its own deadline answers first, naming the step that ran out; the request timeout is the backstop.
        var deadline = app.ServiceProvider.GetRequiredService<IOptions<OrchestratorOptions>>().Value.Deadline;
        app.MapPost("/orchestrator/create-and-confirm-order", CreateAndConfirm)
            .WithTags("Orchestrator")
            .WithSummary("Validate the customer and create the order confirmed, once per idempotency key")
            .RequirePublicAccess(AuthPolicies.Client)
            .Produces<OrchestrationResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout)
            .WithRequestTimeout(RequestTimeouts.Policy(deadline + TimeSpan.FromSeconds(2)));
        return app;
    }

    public static async Task<IResult> CreateAndConfirm(OrchestrationRequest request, HttpContext http, OrderOrchestrator orchestrator,
        IOptions<OrchestratorOptions> options, TimeProvider time)
    {
        var invocation = http.Features.Get<ILambdaInvocationFeature>();
        CorrelationId.Apply(http, ChooseCorrelationId(request, http, invocation));

        var errors = new ValidationErrors();
        var lines = request.Validate(errors);
        var key = IdempotencyKeys.ReadRequired(request.IdempotencyKey, http.Request.HeaderValue, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        // A client orders for its own customer only: refused before any service is asked anything.
        var scope = CustomerScope.Of(http.User);
        if (!scope.Allows(request.CustomerId!.Value))
        {
            return Problems.OtherCustomer();
        }

        // One deadline for the whole orchestration: in Lambda, the invocation's remaining time less a margin to answer.
        var budget = options.Value.Deadline;
        if (invocation is not null)
        {
            var remaining = invocation.Deadline - time.GetUtcNow() - OrchestratorOptions.AnswerMargin;
            budget = remaining < budget ? remaining : budget;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(budget > TimeSpan.Zero ? budget : TimeSpan.Zero);
        try
        {
            return await orchestrator.CreateAndConfirmAsync(Callers.Of(http.User), scope, request.CustomerId!.Value, lines, key!, CorrelationId.Current!,
                deadline.Token);
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            return TypedResults.Problem($"The orchestration did not finish within its deadline of {budget.TotalSeconds:0.#} s; retry with the same key.",
                statusCode: StatusCodes.Status504GatewayTimeout);
        }
    }

    /// <summary>The body's <c>correlation_id</c>, then the <c>X-Correlation-Id</c> header, then API Gateway's request id, then a new one.</summary>
    private static string ChooseCorrelationId(OrchestrationRequest request, HttpContext http, ILambdaInvocationFeature? invocation) =>
        CorrelationIds.IsValid(request.CorrelationId)
            ? request.CorrelationId!
            : LambdaHosting.CorrelationIdOf(http, invocation?.ApiGatewayRequestId);
}
