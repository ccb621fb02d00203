using Challenge.Contracts.Correlation;
using Challenge.Contracts.Customers;
using Challenge.Contracts.Orders;
using Challenge.Contracts.Validation;

namespace Challenge.Contracts.Orchestration;

/// <summary>
/// The body of the Orders API's <c>POST /internal/orchestrations</c>, which the orchestrator alone may call: the
/// customer as it has just read it from the Customers API (trusted for that reason), the lines, the first call's
/// correlation id, the caller the key belongs to (the orchestrator's own client), and whether that caller is staff
/// (an operator sees the stock figures of a refusal; a client, or a caller not said to be staff, does not).
/// </summary>
public sealed record OrchestrationCall(CustomerSnapshot? Customer, IReadOnlyList<NewOrderLine?>? Items, string? CorrelationId, string? Caller,
    bool CallerIsOperator = false)
{
    public const int MaxCallerLength = 256;

    /// <summary>Checks every field and returns the merged lines (<see cref="OrderLines"/>).</summary>
    public IReadOnlyList<OrderLine> Validate(ValidationErrors errors)
    {
        if (Customer is not { Id: > 0, Name.Length: > 0, Email.Length: > 0 })
        {
            errors.Add("customer", "customer is required: the customer's id, name, email and phone as the Customers API gave them.");
        }
        if (!CorrelationIds.IsValid(CorrelationId))
        {
            errors.Add("correlation_id", "correlation_id is required: 1 to 128 printable ASCII characters.");
        }
        ValidateCaller(Caller, errors);
        return OrderLines.Validate(Items, errors);
    }

    /// <summary>The key of an orchestration belongs to the orchestrator's own caller, which the orchestrator names.</summary>
    public static void ValidateCaller(string? caller, ValidationErrors errors)
    {
        if (caller is not { Length: > 0 and <= MaxCallerLength })
        {
            errors.Add("caller", $"caller is required: the orchestrator's caller, 1 to {MaxCallerLength} characters.");
        }
    }
}
