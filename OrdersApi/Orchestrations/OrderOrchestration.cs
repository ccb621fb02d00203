using System.Text.Json;
using Challenge.OrdersApi.Idempotency;
using Challenge.OrdersApi.Orders;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Challenge.Contracts.Customers;
using Challenge.Contracts.Idempotency;
using Challenge.Contracts.Orders;

namespace Challenge.OrdersApi.Orchestrations;

/// <summary>
/// An orchestrated order in one transaction and one commit: the key is claimed (operation <c>orchestrate</c>),
/// the stock reserved, the order inserted already CONFIRMED with its lines, and the record kept with the key. No
/// order is ever left CREATED by an orchestration, and one record per key lives and expires as one.
/// </summary>
public sealed class OrderOrchestration(MySqlDataSource db, IdempotencyStore keys, TimeProvider time, IOptions<JsonOptions> json)
{
    public const string Operation = "orchestrate";

    /// <summary>What makes two orchestrations the same request: the customer and the merged lines, from one caller.</summary>
    public static IdempotentRequest Request(string caller, string key, long customerId, IReadOnlyList<OrderLine> lines) =>
        IdempotentRequest.Create(Operation, caller, key, OrderPlacement.Canonical(customerId, lines));

    public Task<OrderOutcome> OrchestrateAsync(CustomerSnapshot customer, IReadOnlyList<OrderLine> lines, string correlationId, string caller,
        string key, CancellationToken cancellationToken)
    {
        var idempotent = Request(caller, key, customer.Id, lines);
        return keys.RunAsync(db, idempotent, async (transaction, first) =>
        {
            var (products, shortage) = await StockReservation.ReserveAsync(first, lines, cancellationToken);
            if (shortage is not null)
            {
                return shortage;
            }
            if (OrderRecords.Price(lines, products) is not { } priced)
            {
                return OrderRecords.TotalTooLarge();
            }
            var now = time.UtcNowMilliseconds();
            var order = new Order(0, customer.Id, OrderStatus.Confirmed, priced.Total, priced.Items, now, now, null);
            order = order with { Id = await OrderRecords.ExecuteInsertAsync(OrderRecords.AddInsert(transaction.Batch(), order), cancellationToken) };

            var record = new OrchestrationRecord(correlationId, customer, OrchestratedOrderView.Of(order));
            var response = new StoredJson(StatusCodes.Status201Created, JsonSerializer.Serialize(record, json.Value.SerializerOptions), $"/orders/{order.Id}");
            await transaction.Commit(IdempotencyStore.AddCompletion(transaction.Batch(), idempotent, response)).ExecuteNonQueryAsync(cancellationToken);
            return response;
        }, cancellationToken);
    }

    /// <summary>The record of an orchestration completed under the key: a replay, a 422 for another order, or a 404.</summary>
    public async Task<OrderOutcome> FindAsync(long customerId, IReadOnlyList<OrderLine> lines, string caller, string key,
        CancellationToken cancellationToken)
    {
        var idempotent = Request(caller, key, customerId, lines);
        return await keys.FindAsync(db, idempotent, cancellationToken) is { } stored
            ? IdempotencyStore.Replay(stored, idempotent)
            : Problems.NotFound($"No orchestration completed under the {IdempotencyKeys.Header} '{key}'.");
    }
}
