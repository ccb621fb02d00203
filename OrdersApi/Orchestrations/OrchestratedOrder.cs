using Challenge.OrdersApi.Orders;
using Challenge.ServiceDefaults.Http;
using Challenge.Contracts.Customers;
using Challenge.Contracts.Orders;

namespace Challenge.OrdersApi.Orchestrations;

/// <summary>
/// The body of <c>POST /internal/orchestrations</c>: the customer as the orchestrator has just read it from the
/// Customers API (trusted because only the orchestrator may call), the lines, and the first call's correlation id.
/// </summary>
public sealed record OrchestratedOrder(CustomerSnapshot? Customer, IReadOnlyList<NewOrderLine?>? Items, string? CorrelationId, string? Caller)
{
    public const int MaxCallerLength = 256;

    /// <summary>Checks every field and returns the merged lines (the rules of <see cref="NewOrder"/>).</summary>
    public IReadOnlyList<OrderLine> Validate(ValidationErrors errors)
    {
        if (Customer is not { Id: > 0, Name.Length: > 0, Email.Length: > 0 })
        {
            errors.Add("customer", "customer is required: the customer's id, name, email and phone as the Customers API gave them.");
        }
        if (!ServiceDefaults.Http.CorrelationId.IsValid(CorrelationId))
        {
            errors.Add("correlation_id", "correlation_id is required: 1 to 128 printable ASCII characters.");
        }
        AddCallerError(Caller, errors);
        return OrderLines.Validate(Items, errors);
    }

    /// <summary>
    /// The orchestrator's own caller (its client), to whom the key belongs: the orchestrator is the only one that
    /// may call, so it says on whose behalf.
    /// </summary>
    public static void AddCallerError(string? caller, ValidationErrors errors)
    {
        if (caller is not { Length: > 0 and <= MaxCallerLength })
        {
            errors.Add("caller", $"caller is required: the orchestrator's caller, 1 to {MaxCallerLength} characters.");
        }
    }
}

/// <summary>The body of <c>POST /internal/orchestrations/lookup</c>: whose key, for which customer and lines.</summary>
public sealed record OrchestrationLookup(long? CustomerId, IReadOnlyList<NewOrderLine?>? Items, string? Caller)
{
    public IReadOnlyList<OrderLine> Validate(ValidationErrors errors)
    {
        OrchestratedOrder.AddCallerError(Caller, errors);
        return new NewOrder(CustomerId, Items).Validate(errors);
    }
}

/// <summary>
/// What is kept under the key, and answered to the first call and every replay alike: the orchestrator renders its
/// envelope from it, so a replay is the first answer byte for byte.
/// </summary>
public sealed record OrchestrationRecord(string CorrelationId, CustomerSnapshot Customer, OrchestratedOrderView Order);

public sealed record OrchestratedOrderView(long Id, string Status, long TotalCents, IReadOnlyList<OrchestratedItem> Items)
{
    public static OrchestratedOrderView Of(Order order) => new(order.Id, order.Status, order.TotalCents,
        order.Items.Select(i => new OrchestratedItem(i.ProductId, i.Qty, i.UnitPriceCents, i.SubtotalCents)).ToList());
}

public sealed record OrchestratedItem(long ProductId, long Qty, long UnitPriceCents, long SubtotalCents);
