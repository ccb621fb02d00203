using Challenge.Contracts.Orders;
using Challenge.Contracts.Validation;

namespace Challenge.Contracts.Orchestration;

/// <summary>
/// The body of the Orders API's <c>POST /internal/orchestrations/lookup</c>: whose key, for which customer and lines.
/// What the orchestrator asks while the Customers API cannot answer, to replay a completed orchestration.
/// </summary>
public sealed record OrchestrationLookup(long? CustomerId, IReadOnlyList<NewOrderLine?>? Items, string? Caller)
{
    public IReadOnlyList<OrderLine> Validate(ValidationErrors errors)
    {
        OrchestrationCall.ValidateCaller(Caller, errors);
        return OrderLines.Validate(CustomerId, Items, errors);
    }
}
