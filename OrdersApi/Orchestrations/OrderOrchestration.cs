using Challenge.Contracts.Customers;
using Challenge.Contracts.Orchestration;

namespace Challenge.OrdersApi.Orchestrations;

/// <summary>
/// An orchestrated order in one transaction and one commit: the key is claimed (operation <c>orchestrate</c>), the
/// stock reserved, the order inserted already CONFIRMED with its lines, and the record kept with the key
/// (<see cref="OrderWriter"/>). No order is ever left CREATED by an orchestration, and one record per key lives and
/// expires as one.
/// </summary>
public sealed class OrderOrchestration(IdempotencyStore keys, OrderWriter writer, ReplayableAnswers answers)
{
    public const string Operation = "orchestrate";

    /// <summary>What makes two orchestrations the same request: the customer and the merged lines, from one caller.</summary>
    public static IdempotentRequest Request(string caller, string key, long customerId, IReadOnlyList<OrderLine> lines) =>
        IdempotentRequest.Create(Operation, caller, key, OrderPlacement.Canonical(customerId, lines));

    /// <param name="callerIsOperator">Whether the orchestrator's caller is staff: only staff are told how much stock is left.</param>
    public Task<OrderOutcome> OrchestrateAsync(CustomerSnapshot customer, IReadOnlyList<OrderLine> lines, string correlationId, string caller,
        bool callerIsOperator, string key, CancellationToken cancellationToken) =>
        // Confirmed at once, it holds nothing unconfirmed: no cap applies.
        writer.PlaceAsync(customer.Id, lines, OrderStatus.Confirmed, new OrderTerms(null, ShowsStock: callerIsOperator), Request(caller, key, customer.Id, lines),
            order => answers.Created(new OrchestrationRecord(correlationId, customer, Summary(order)), $"/orders/{order.Id}"), cancellationToken);

    /// <summary>The record of an orchestration completed under the key: a replay, a 422 for another order, or a 404.</summary>
    public async Task<OrderOutcome> FindAsync(long customerId, IReadOnlyList<OrderLine> lines, string caller, string key,
        CancellationToken cancellationToken) =>
        await keys.ReplayAsync(Request(caller, key, customerId, lines), cancellationToken)
            ?? Problems.NotFound($"No orchestration completed under the {IdempotencyKeys.Header} '{key}'.");

    private static OrderSummary Summary(Order order) => new(order.Id, order.Status, order.TotalCents,
        order.Items.Select(i => new OrderSummaryLine(i.ProductId, i.Qty, i.UnitPriceCents, i.SubtotalCents)).ToList());
}
