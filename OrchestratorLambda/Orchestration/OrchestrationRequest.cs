using Challenge.ServiceDefaults.Http;

namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>The body of <c>POST /orchestrator/create-and-confirm-order</c>, in the seed's shape.</summary>
public sealed record OrchestrationRequest(long? CustomerId, IReadOnlyList<OrchestrationLine?>? Items, string? IdempotencyKey, string? CorrelationId)
{
    public const int MaxLines = 100;
    public const long MaxQty = 1_000_000;
    public const int MaxKeyLength = 255;

    /// <summary>Checks the body (the Orders API's rules, so that a bad body is a 400 before any call) and merges the lines.</summary>
    public IReadOnlyList<OrchestrationLine> Validate(ValidationErrors errors)
    {
        if (CustomerId is not > 0)
        {
            errors.Add("customer_id", "customer_id is required: a positive customer id.");
        }
        if (Items is not { Count: > 0 and <= MaxLines })
        {
            errors.Add("items", $"items is required: 1 to {MaxLines} lines.");
            return [];
        }
        for (var i = 0; i < Items.Count; i++)
        {
            if (Items[i] is not { ProductId: > 0, Qty: >= 1 and <= MaxQty })
            {
                errors.Add($"items[{i}]", $"Each line needs a positive product_id and a qty from 1 to {MaxQty:N0}.");
            }
        }
        return errors.IsEmpty
            ? Items.GroupBy(l => l!.ProductId).Select(g => new OrchestrationLine(g.Key, g.Sum(l => l!.Qty))).OrderBy(l => l.ProductId).ToList()
            : [];
    }

    public static bool IsValidKey(string key) => key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');
}

public sealed record OrchestrationLine(long? ProductId, long? Qty);

/// <summary>The consolidated answer. The envelope keeps the seed's names (<c>correlationId</c>), the data is snake_case.</summary>
public sealed record OrchestrationResponse(
    bool Success,
    [property: System.Text.Json.Serialization.JsonPropertyName("correlationId")] string CorrelationId,
    OrchestrationData Data);

public sealed record OrchestrationData(CustomerView Customer, OrderView Order);

public sealed record CustomerView(long Id, string Name, string Email, string? Phone);

public sealed record OrderView(long Id, string Status, long TotalCents, IReadOnlyList<OrderItemView> Items);

public sealed record OrderItemView(long ProductId, long Qty, long UnitPriceCents, long SubtotalCents);

/// <summary>The body of the Orders API's <c>POST /internal/orchestrations</c>: the customer just checked, the lines, the correlation id.</summary>
public sealed record OrchestrationBody(CustomerView Customer, IReadOnlyList<OrchestrationLine> Items, string CorrelationId, string Caller);

/// <summary>The body of the Orders API's <c>POST /internal/orchestrations/lookup</c>.</summary>
public sealed record LookupBody(long CustomerId, IReadOnlyList<OrchestrationLine> Items, string Caller);

/// <summary>
/// What the Orders API keeps under the key, committed with the order: the envelope is rendered from it, the same
/// way for the first answer and for every replay.
/// </summary>
public sealed record OrchestrationRecord(string CorrelationId, CustomerView Customer, OrderView Order);
