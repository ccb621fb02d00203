using Challenge.Contracts.Validation;
using Challenge.Contracts.Orders;

namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>The body of <c>POST /orchestrator/create-and-confirm-order</c>, in the first version's shape.</summary>
public sealed record OrchestrationRequest(long? CustomerId, IReadOnlyList<NewOrderLine?>? Items, string? IdempotencyKey, string? CorrelationId)
{
    /// <summary>Checks the body by the Orders API's own rules, so that a body it would refuse is a 400 before any call, and merges the lines.</summary>
    public IReadOnlyList<OrderLine> Validate(ValidationErrors errors) => OrderLines.Validate(CustomerId, Items, errors);
}
