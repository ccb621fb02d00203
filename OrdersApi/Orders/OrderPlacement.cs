using System.Globalization;
using System.Text.Json;
using Challenge.OrdersApi.Customers;
using Challenge.OrdersApi.Data;
using Challenge.OrdersApi.Idempotency;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Challenge.Contracts.Orders;

namespace Challenge.OrdersApi.Orders;

/// <summary>
/// Creates an order: the customer is checked over HTTP first (no transaction is ever open during an HTTP call),
/// then one transaction claims the Idempotency-Key, reserves the stock, snapshots the prices, inserts the order
/// and its lines, and stores the response. All of it happens or none of it.
/// </summary>
public sealed class OrderPlacement(
    MySqlDataSource db, IdempotencyStore keys, CustomerDirectory customers, TimeProvider time, IOptions<JsonOptions> json)
{
    public const string Operation = "create";

    public async Task<OrderOutcome> PlaceAsync(long customerId, IReadOnlyList<OrderLine> lines, string caller, string? key,
        CancellationToken cancellationToken)
    {
        var idempotent = key is null ? null : IdempotentRequest.Create(Operation, caller, key, Canonical(customerId, lines));
        if (await customers.CheckAsync(customerId, cancellationToken) is { } refusal)
        {
            // A completed key still answers while the Customers API is down (or refuses): it is looked up only now,
            // so that the usual new order pays no read of its key before the check.
            return idempotent is not null && await keys.FindAsync(db, idempotent, cancellationToken) is { } stored
                ? IdempotencyStore.Replay(stored, idempotent)
                : refusal;
        }

        return await keys.RunAsync(db, idempotent, async (transaction, first) =>
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
            var (items, total) = priced;
            var now = time.UtcNowMilliseconds();
            var order = new Order(0, customerId, OrderStatus.Created, total, items, now, null, null);
            var insert = OrderRecords.AddInsert(transaction.Batch(), order);
            if (idempotent is null)
            {
                transaction.Commit(insert);
            }
            order = order with { Id = await OrderRecords.ExecuteInsertAsync(insert, cancellationToken) };
            var response = new StoredJson(StatusCodes.Status201Created, JsonSerializer.Serialize(order, json.Value.SerializerOptions), $"/orders/{order.Id}");
            if (idempotent is not null)
            {
                await transaction.Commit(IdempotencyStore.AddCompletion(transaction.Batch(), idempotent, response)).ExecuteNonQueryAsync(cancellationToken);
            }
            return response;
        }, cancellationToken);
    }

    /// <summary>The request as the fingerprint sees it: the same order asked with lines in another order is the same request.</summary>
    public static string Canonical(long customerId, IReadOnlyList<OrderLine> lines) =>
        string.Create(CultureInfo.InvariantCulture, $"{customerId}:{string.Join(',', lines.Select(l => $"{l.ProductId}x{l.Qty}"))}");
}
