using Challenge.Webhooks.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>
/// The one place orders are written: a new order, its confirmation and its cancellation, each in one transaction
/// (<see cref="WriteTransactions"/>) that moves the stock, changes the order by a guarded statement
/// (<c>WHERE status = ...</c>, judged under the row's lock, so that of two concurrent changes one matches) and reads
/// it back, and records the change's events in the outbox, with its commit. What differs between a client's order and
/// an orchestrated one is its status and how it is answered.
/// </summary>
public sealed class OrderWriter(WriteTransactions transactions, Outbox outbox, ReplayableAnswers answers, TimeProvider time, IOptions<OrdersOptions> options)
{
    /// <summary>
    /// A new order: within what its customer may hold (<paramref name="terms"/>), its stock reserved, its lines priced at
    /// the products' current prices, the order inserted with <paramref name="status"/> (CREATED, or CONFIRMED for an
    /// orchestration, confirmed at once), and the answer <paramref name="answer"/> renders kept under the key. All of it
    /// happens or none.
    /// </summary>
    public Task<OrderOutcome> PlaceAsync(long customerId, IReadOnlyList<OrderLine> lines, string status, OrderTerms terms, IdempotentRequest? key,
        Func<Order, JsonTextResult> answer, CancellationToken cancellationToken) =>
        transactions.RunAsync(key, async transaction =>
        {
            if (terms.Holds is { } limits
                && await CustomerHolds.RefusalAsync(transaction.Batch(), customerId, limits, lines.Sum(l => l.Qty), cancellationToken) is { } overCap)
            {
                return overCap;
            }
            var (products, shortage) = await StockReservation.ReserveAsync(transaction.Batch(), lines, terms.ShowsStock, cancellationToken);
            if (shortage is not null)
            {
                return shortage;
            }
            if (OrderRecords.Price(lines, products) is not { } priced)
            {
                return OrderRecords.TotalTooLarge();
            }
            var now = time.UtcNowMilliseconds();
            // An orchestrated order is created confirmed: it has two events at once, both carrying it as it is.
            NewOrderEvent[] events = status == OrderStatus.Confirmed
                ? [new(OrderEventTypes.Created, 1), new(OrderEventTypes.Confirmed, 2)]
                : [new(OrderEventTypes.Created, 1)];
            var order = new Order(0, customerId, status, priced.Total, priced.Items, now, status == OrderStatus.Confirmed ? now : null, null, events.Length);
            order = order with { Id = await OrderRecords.InsertAsync(transaction.Batch(), order, cancellationToken) };
            outbox.Record(transaction, order, now, events);
            return answer(order);
        }, cancellationToken);

    /// <summary>CREATED becomes CONFIRMED; a CONFIRMED order is answered as it is; a CANCELED one is a 409.</summary>
    public Task<OrderOutcome> ConfirmAsync(long id, CustomerScope scope, IdempotentRequest key, CancellationToken cancellationToken) =>
        transactions.RunAsync(key, async transaction =>
        {
            var now = time.UtcNowMilliseconds();
            var batch = transaction.Batch()
                .Add($"""
                    UPDATE orders SET status = '{OrderStatus.Confirmed}', confirmed_at = @now, last_sequence = last_sequence + 1
                    WHERE id = @id AND status = '{OrderStatus.Created}' AND {CustomerScope.SqlFilter}
                    """, ("@now", now), ("@id", id), ("@tenant", scope.CustomerId));
            var (confirmed, order) = await ChangedAsync(batch, id, cancellationToken);
            if (order is null || !scope.Allows(order.CustomerId))
            {
                return NotFound(id);
            }
            if (confirmed)
            {
                outbox.Record(transaction, order, now, new NewOrderEvent(OrderEventTypes.Confirmed, order.Sequence));
            }
            return order.Status == OrderStatus.Canceled
                ? Problems.Conflict($"Order {id} is canceled; it cannot be confirmed.")
                : answers.Ok(order);
        }, cancellationToken);

    /// <summary>
    /// CREATED, or CONFIRMED within the cancellation window, becomes CANCELED and its stock comes back. Cancelling a
    /// CANCELED order changes nothing, so a retry is safe and two concurrent cancels restore the stock once.
    /// </summary>
    public Task<OrderOutcome> CancelAsync(long id, CustomerScope scope, CancellationToken cancellationToken)
    {
        var window = options.Value.CancellationWindow;
        return CancelIfAsync(id, scope, scope.CustomerId is null ? CancelReasons.Operator : CancelReasons.Client,
            $"(status = '{OrderStatus.Created}' OR (status = '{OrderStatus.Confirmed}' AND confirmed_at >= @since))",
            OrderRules.CancellableSince(time.UtcNowMilliseconds(), window),
            order => order.Status == OrderStatus.Canceled
                ? answers.Ok(order)
                : Problems.Conflict(
                    $"Order {id} was confirmed at {order.ConfirmedAt:yyyy-MM-dd'T'HH:mm:ss.fff'Z'}; it could be canceled for {window.TotalMinutes:0.##} minutes after that."),
            cancellationToken);
    }

    /// <summary>Cancels an order still CREATED that was created before <paramref name="createdBefore"/>; whether this call did.</summary>
    public async Task<bool> CancelAbandonedAsync(long id, DateTime createdBefore, CancellationToken cancellationToken) =>
        (await CancelIfAsync(id, CustomerScope.Everyone, CancelReasons.Expired, $"status = '{OrderStatus.Created}' AND created_at < @since", createdBefore,
            _ => Problems.Conflict($"Order {id} is no longer abandoned."), cancellationToken)).Result is JsonTextResult { StatusCode: StatusCodes.Status200OK };

    /// <summary>
    /// The one way an order is cancelled: a guarded UPDATE (<paramref name="condition"/>, with <c>@since</c>), whose
    /// order is read back in the same round trip; when it matched, the stock comes back with the commit. An order the
    /// condition did not match (canceled already, or not cancellable) is answered by <paramref name="unchanged"/>.
    /// </summary>
    private Task<OrderOutcome> CancelIfAsync(long id, CustomerScope scope, string reason, string condition, DateTime since,
        Func<Order, OrderOutcome> unchanged, CancellationToken cancellationToken) =>
        transactions.RunAsync(key: null, async transaction =>
        {
            var now = time.UtcNowMilliseconds();
            var batch = transaction.Batch()
                .Add($"""
                    UPDATE orders SET status = '{OrderStatus.Canceled}', canceled_at = @now, last_sequence = last_sequence + 1
                    WHERE id = @id AND {condition} AND {CustomerScope.SqlFilter}
                    """, ("@now", now), ("@id", id), ("@since", since), ("@tenant", scope.CustomerId));
            var (canceled, order) = await ChangedAsync(batch, id, cancellationToken);
            if (order is null || !scope.Allows(order.CustomerId))
            {
                return NotFound(id);
            }
            if (!canceled)
            {
                return unchanged(order);
            }
            StockReservation.RestoreOnCommit(transaction, order.Items);
            outbox.Record(transaction, order, now, new NewOrderEvent(OrderEventTypes.Canceled, order.Sequence, reason));
            return answers.Ok(order);
        }, cancellationToken);

    public static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Order {id} does not exist.");

    /// <summary>Runs a batch that ends with a guarded UPDATE: whether it changed the order, and the order as it now is.</summary>
    private static async Task<(bool Changed, Order? Order)> ChangedAsync(MySqlConnector.MySqlBatch batch, long id, CancellationToken cancellationToken)
    {
        var (changed, order) = await GuardedChange.RunAsync(batch, OrderStore.Select(id), OrderStore.ReadAsync, cancellationToken);
        return (changed, order);
    }
}
