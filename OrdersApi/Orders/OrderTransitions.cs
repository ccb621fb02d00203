using System.Globalization;
using System.Text.Json;
using Challenge.OrdersApi.Data;
using Challenge.OrdersApi.Idempotency;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders;

/// <summary>
/// Confirmation and cancellation. Each state change is a guarded UPDATE (<c>WHERE status = ...</c>), so two
/// concurrent requests can never both make it; what the other one sees is read back after the update.
/// </summary>
public sealed class OrderTransitions(
    MySqlDataSource db, IdempotencyStore keys, TimeProvider time, IOptions<OrdersOptions> options, IOptions<JsonOptions> json)
{
    public const string ConfirmOperation = "confirm";

    /// <summary>The order's guard against another customer's caller: a client changes its own customer's orders alone.</summary>
    private const string InScope = "(@tenant IS NULL OR customer_id = @tenant)";

    public Task<OrderOutcome> ConfirmAsync(long id, CustomerScope scope, string caller, string key, CancellationToken cancellationToken)
    {
        var idempotent = IdempotentRequest.Create(ConfirmOperation, caller, key, id.ToString(CultureInfo.InvariantCulture));
        return keys.RunAsync(db, idempotent, async (transaction, first) =>
        {
            first.Add($"UPDATE orders SET status = 'CONFIRMED', confirmed_at = @now WHERE id = @id AND status = 'CREATED' AND {InScope}",
                ("@now", time.UtcNowMilliseconds()), ("@id", id), ("@tenant", scope.CustomerId));
            var order = await ReadAfterAsync(OrderQueries.AddSelectOrderWithItems(first, id), cancellationToken);
            if (order is null || !scope.Allows(order.CustomerId))
            {
                return NotFound(id);
            }
            if (order.Status == OrderStatus.Canceled)
            {
                return Problems.Conflict($"Order {id} is canceled; it cannot be confirmed.");
            }
            // Confirmed now, or already confirmed before: either way the answer is the order as it is.
            var response = Ok(order);
            await transaction.Commit(IdempotencyStore.AddCompletion(transaction.Batch(), idempotent, response)).ExecuteNonQueryAsync(cancellationToken);
            return response;
        }, cancellationToken);
    }

    /// <summary>
    /// CREATED, or CONFIRMED within the cancellation window, becomes CANCELED and its stock comes back. Cancelling a
    /// CANCELED order changes nothing, so a retry is safe and two concurrent cancels restore the stock once.
    /// </summary>
    public Task<OrderOutcome> CancelAsync(long id, CustomerScope scope, CancellationToken cancellationToken) =>
        db.InTransactionAsync<OrderOutcome>(async transaction =>
        {
            var window = options.Value.CancellationWindow;
            var (canceled, order) = await CancelIfAsync(transaction, id, scope,
                "(status = 'CREATED' OR (status = 'CONFIRMED' AND confirmed_at >= @cancellableSince))",
                ("@cancellableSince", OrderRules.CancellableSince(time.UtcNowMilliseconds(), window)), cancellationToken);
            if (order is null || !scope.Allows(order.CustomerId))
            {
                return NotFound(id);
            }
            if (!canceled)
            {
                return order.Status == OrderStatus.Canceled
                    ? Ok(order)
                    : Problems.Conflict(
                        $"Order {id} was confirmed at {order.ConfirmedAt:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}; it could be canceled for {window.TotalMinutes:0.##} minutes after that.");
            }
            return Ok(order);
        }, cancellationToken);

    /// <summary>Cancels an order still CREATED that was created before <paramref name="createdBefore"/>; whether this call did.</summary>
    public async Task<bool> CancelAbandonedAsync(long id, DateTime createdBefore, CancellationToken cancellationToken) =>
        (await db.InTransactionAsync(transaction => CancelIfAsync(transaction, id, CustomerScope.Everyone,
            "status = 'CREATED' AND created_at < @createdBefore", ("@createdBefore", createdBefore), cancellationToken), cancellationToken)).Canceled;

    /// <summary>
    /// The one way an order is cancelled: a guarded UPDATE (the <paramref name="condition"/> is judged under the row's
    /// lock, so of two concurrent cancellations, by a client or a sweep on any instance, one matches) and, when it
    /// matched, the stock restored in the same transaction. The order is read back either way.
    /// </summary>
    private async Task<(bool Canceled, Order? Order)> CancelIfAsync(BatchedTransaction transaction, long id, CustomerScope scope, string condition,
        (string Name, object Value) parameter, CancellationToken cancellationToken)
    {
        var batch = transaction.Begin()
            .Add($"UPDATE orders SET status = 'CANCELED', canceled_at = @now WHERE id = @id AND {condition} AND {InScope}",
                ("@now", time.UtcNowMilliseconds()), ("@id", id), ("@tenant", scope.CustomerId), parameter)
            .Add("SELECT ROW_COUNT()");
        long canceled;
        Order? order;
        await using (var reader = await OrderQueries.AddSelectOrderWithItems(batch, id).ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            canceled = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken);
            order = await OrderQueries.ReadOrderAsync(reader, cancellationToken);
        }
        if (canceled == 1 && order is not null)
        {
            await transaction.Commit(StockReservation.AddRestore(transaction.Batch(), order.Items)).ExecuteNonQueryAsync(cancellationToken);
        }
        return (canceled == 1, order);
    }

    private static async Task<Order?> ReadAfterAsync(MySqlBatch batch, CancellationToken cancellationToken)
    {
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await OrderQueries.ReadOrderAsync(reader, cancellationToken);
    }

    private StoredJson Ok(Order order) => new(StatusCodes.Status200OK, JsonSerializer.Serialize(order, json.Value.SerializerOptions));

    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotFound(long id) => Problems.NotFound($"Order {id} does not exist.");
}
