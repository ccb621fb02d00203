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

    private const string InsertOrder = """
        INSERT INTO orders (customer_id, status, total_cents, created_at) VALUES (@customerId, 'CREATED', @total, @now)
        """;

    private const string InsertItem = """
        INSERT INTO order_items (order_id, product_id, sku, name, qty, unit_price_cents, subtotal_cents)
        VALUES (LAST_INSERT_ID(), @productId, @sku, @name, @qty, @unitPrice, @subtotal)
        """;

    public async Task<OrderOutcome> PlaceAsync(long customerId, IReadOnlyList<OrderLine> lines, string? key, CancellationToken cancellationToken)
    {
        var idempotent = key is null ? null : IdempotentRequest.Create(Operation, key, Canonical(customerId, lines));
        if (idempotent is not null)
        {
            // A completed key answers at once: no call to the Customers API, no lock, even if that API is down.
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            if (await keys.FindAsync(connection, idempotent, cancellationToken) is { } stored)
            {
                return IdempotencyStore.Replay(stored, idempotent);
            }
        }

        if (await customers.CheckAsync(customerId, cancellationToken) is { } refusal)
        {
            return refusal;
        }

        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            if (idempotent is not null && await keys.ClaimAsync(connection, transaction, idempotent, cancellationToken) is not KeyClaim.Owned and var claim)
            {
                return IdempotencyStore.Answer(claim, idempotent);
            }

            var (products, shortage) = await StockReservation.ReserveAsync(connection, transaction, lines, cancellationToken);
            if (shortage is not null)
            {
                return shortage;
            }
            IReadOnlyList<OrderItem> items;
            long total;
            try
            {
                (items, total) = OrderRules.Price(lines, products);
            }
            catch (OverflowException)
            {
                var errors = new ValidationErrors();
                errors.Add("items", $"The order's total exceeds {long.MaxValue:N0} cents.");
                return errors.ToProblem();
            }

            var now = time.UtcNowMilliseconds();
            var id = await InsertAsync(connection, transaction, customerId, items, total, now, cancellationToken);
            var order = new Order(id, customerId, OrderStatus.Created, total, items, now, null, null);
            var response = new StoredJson(StatusCodes.Status201Created, JsonSerializer.Serialize(order, json.Value.SerializerOptions), $"/orders/{id}");
            if (idempotent is not null)
            {
                await keys.CompleteAsync(connection, transaction, idempotent, response, cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return response;
        }, cancellationToken);
    }

    /// <summary>The request as the fingerprint sees it: the same order asked with lines in another order is the same request.</summary>
    public static string Canonical(long customerId, IReadOnlyList<OrderLine> lines) =>
        string.Create(CultureInfo.InvariantCulture, $"{customerId}:{string.Join(',', lines.Select(l => $"{l.ProductId}x{l.Qty}"))}");

    private static async Task<long> InsertAsync(MySqlConnection connection, MySqlTransaction transaction, long customerId,
        IReadOnlyList<OrderItem> items, long total, DateTime now, CancellationToken cancellationToken)
    {
        await using var batch = new MySqlBatch(connection, transaction);
        batch.Add(InsertOrder, ("@customerId", customerId), ("@total", total), ("@now", now));
        foreach (var item in items)
        {
            batch.Add(InsertItem, ("@productId", item.ProductId), ("@sku", item.Sku), ("@name", item.Name), ("@qty", item.Qty),
                ("@unitPrice", item.UnitPriceCents), ("@subtotal", item.SubtotalCents));
        }
        batch.Add("SELECT LAST_INSERT_ID()");
        return Convert.ToInt64(await batch.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
