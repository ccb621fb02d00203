using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>
/// What a customer holds unconfirmed, judged against its limits in the order's own transaction, under the customer's
/// row of <c>customer_locks</c>: concurrent orders of one customer are judged one after the other, each seeing what
/// the previous one committed, so that no burst passes a cap. Orders of other customers are not held up.
/// </summary>
public static class CustomerHolds
{
    // The lock comes before the count, and the count is the transaction's first consistent read: its snapshot is taken
    // once the lock is held, after the previous order of the customer has committed.
    private const string LockAndCount = $"""
        INSERT INTO customer_locks (customer_id) VALUES (@customer) ON DUPLICATE KEY UPDATE customer_id = customer_id;
        SELECT COUNT(DISTINCT o.id), COALESCE(SUM(i.qty), 0)
        FROM orders o JOIN order_items i ON i.order_id = o.id
        WHERE o.customer_id = @customer AND o.status = '{OrderStatus.Created}';
        """;

    /// <summary>
    /// Runs the check as <paramref name="batch"/> (the first of the order's transaction): the problem that refuses an
    /// order of <paramref name="units"/> more units, or null when the customer may hold it. A refusal reserves nothing
    /// (the caller's transaction rolls back).
    /// </summary>
    public static async Task<ProblemHttpResult?> RefusalAsync(MySqlBatch batch, long customerId, HoldLimits limits, long units,
        CancellationToken cancellationToken)
    {
        batch.Add(LockAndCount, ("@customer", customerId));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var (orders, held) = (reader.GetInt64(0), reader.GetInt64(1));
        if (orders + 1 > limits.OpenOrders)
        {
            return Refusal($"Customer {customerId} holds {orders} unconfirmed orders, its limit of open orders ({limits.OpenOrders}): confirm or " +
                "cancel one, then order again. Nothing was reserved.", "open_orders", limits.OpenOrders, orders, requested: 1);
        }
        if (held + units > limits.ReservedUnits)
        {
            return Refusal($"Customer {customerId}'s unconfirmed orders hold {held} units and this order asks for {units} more; its limit of reserved " +
                $"units is {limits.ReservedUnits}. Nothing was reserved.", "reserved_units", limits.ReservedUnits, held, units);
        }
        return null;
    }

    private static ProblemHttpResult Refusal(string detail, string limit, long max, long held, long requested) => TypedResults.Problem(
        detail, statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["limit"] = limit, ["max"] = max, ["held"] = held, ["requested"] = requested });
}
