using Challenge.ServiceDefaults.Data;
using Dapper;
using MySqlConnector;

namespace Challenge.OrderEvents.Dispatching;

/// <summary>A claimed delivery, with what sending it takes.</summary>
public sealed record ClaimedDelivery(
    long Id, long SubscriptionId, long EventId, string EventType, string Url, string Secret, string Payload, string? Traceparent,
    int Attempts, DateTime GiveUpAt, DateTime ClaimedUntil);

/// <summary>
/// The database is the queue. Events are fanned out into deliveries by whichever instance locks them first (the rest
/// skip them); a delivery is claimed by a guarded update that sets a lease, so that one instance at a time works on
/// it, and one that dies mid-delivery loses nothing: the lease runs out and another claims it again.
/// </summary>
public sealed class Deliveries(MySqlDataSource db, TimeProvider time)
{
    /// <summary>
    /// Turns up to <paramref name="limit"/> new events into one delivery per subscription that wants them (its customer,
    /// or every customer; its event types; made before the event; not disabled), in one transaction. How many events it took.
    /// </summary>
    public async Task<int> FanOutAsync(int limit, TimeSpan giveUpAfter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // READ COMMITTED: the locking read locks the events it takes and no gap after them, so that the orders being
        // written meanwhile insert their events without waiting for this transaction.
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, cancellationToken);
        var events = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM order_events WHERE fanned_out = FALSE ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED",
            new { limit }, transaction, cancellationToken: cancellationToken))).AsList();
        if (events.Count == 0)
        {
            return 0;
        }
        const string sql = """
            INSERT IGNORE INTO webhook_deliveries (subscription_id, event_id, order_id, status, next_attempt_at, give_up_at, created_at)
            SELECT s.id, e.id, e.order_id, 'pending', @now, @giveUpAt, @now
            FROM order_events e
            JOIN webhook_subscriptions s
              ON (s.customer_id IS NULL OR s.customer_id = e.customer_id)
             AND FIND_IN_SET(e.type, s.events) > 0
             AND s.created_at <= e.occurred_at
             AND s.disabled_at IS NULL
            WHERE e.id IN @events;
            UPDATE order_events SET fanned_out = TRUE WHERE id IN @events;
            """;
        var now = time.UtcNowMilliseconds();
        await connection.ExecuteAsync(new CommandDefinition(sql, new { events, now, giveUpAt = now + giveUpAfter }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return events.Count;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries for <paramref name="claimant"/> until the lease runs out. A
    /// delivery is due when its next attempt has come, no instance holds it, and every earlier event of its order is
    /// fanned out and delivered (or given up) to its subscription: an order's events arrive in order.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string claimant, int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        const string candidates = """
            SELECT d.id
            FROM webhook_deliveries d
            WHERE d.status = 'pending' AND d.next_attempt_at <= @now AND (d.claimed_until IS NULL OR d.claimed_until <= @now)
              AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                              WHERE p.subscription_id = d.subscription_id AND p.order_id = d.order_id AND p.event_id < d.event_id AND p.status = 'pending')
              AND NOT EXISTS (SELECT 1 FROM order_events e WHERE e.order_id = d.order_id AND e.id < d.event_id AND e.fanned_out = FALSE)
            ORDER BY d.next_attempt_at, d.id
            LIMIT @limit
            """;
        // The claim itself is judged again under each row's lock: of two instances that saw the same candidate, one gets it.
        const string claim = """
            UPDATE webhook_deliveries SET claimed_by = @claimant, claimed_until = @until, attempts = attempts + 1
            WHERE id IN @ids AND status = 'pending' AND (claimed_until IS NULL OR claimed_until <= @now);
            SELECT d.id, d.subscription_id AS SubscriptionId, d.event_id AS EventId, e.type AS EventType, s.url, s.secret, e.payload,
                   e.traceparent, d.attempts, d.give_up_at AS GiveUpAt, d.claimed_until AS ClaimedUntil
            FROM webhook_deliveries d
            JOIN order_events e ON e.id = d.event_id
            JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE d.id IN @ids AND d.claimed_by = @claimant AND d.claimed_until = @until;
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(candidates, new { now, limit }, cancellationToken: cancellationToken))).AsList();
        if (ids.Count == 0)
        {
            return [];
        }
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(claim, new { ids, claimant, now, until = now + lease },
            cancellationToken: cancellationToken));
        return (await results.ReadAsync<ClaimedDelivery>()).AsList();
    }

    /// <summary>Records an attempt's outcome, unless the claim was lost meanwhile (then the instance that holds it does).</summary>
    public async Task CompleteAsync(ClaimedDelivery delivery, string claimant, Attempt attempt, CancellationToken cancellationToken)
    {
        var now = time.UtcNowMilliseconds();
        var sql = attempt switch
        {
            { Delivered: true } => """
                UPDATE webhook_deliveries SET status = 'delivered', delivered_at = @now, claimed_until = NULL, last_status_code = @code, last_error = NULL
                WHERE id = @id AND claimed_by = @claimant AND claimed_until = @until
                """,
            { Gone: true } => """
                UPDATE webhook_subscriptions SET disabled_at = @now WHERE id = @subscription AND disabled_at IS NULL;
                UPDATE webhook_deliveries SET status = 'failed', claimed_until = NULL, last_status_code = @code, last_error = @error
                WHERE subscription_id = @subscription AND status = 'pending';
                """,
            _ when now >= delivery.GiveUpAt => """
                UPDATE webhook_deliveries SET status = 'failed', claimed_until = NULL, last_status_code = @code, last_error = @error
                WHERE id = @id AND claimed_by = @claimant AND claimed_until = @until
                """,
            _ => """
                UPDATE webhook_deliveries SET next_attempt_at = @next, claimed_until = NULL, last_status_code = @code, last_error = @error
                WHERE id = @id AND claimed_by = @claimant AND claimed_until = @until
                """,
        };
        var next = now + Backoff.After(delivery.Attempts, Random.Shared.NextDouble());
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(sql, new
        {
            id = delivery.Id, subscription = delivery.SubscriptionId, claimant, until = delivery.ClaimedUntil, now,
            next = next < delivery.GiveUpAt ? next : delivery.GiveUpAt, code = attempt.StatusCode, error = attempt.Error,
        }, cancellationToken: cancellationToken));
    }
}

/// <summary>What one attempt came to: the receiver's status (none when it did not answer) and why it failed.</summary>
public sealed record Attempt(int? StatusCode, string? Error)
{
    public bool Delivered => StatusCode is >= 200 and < 300;

    /// <summary>The receiver says the subscription is gone for good: it is disabled.</summary>
    public bool Gone => StatusCode == 410;
}
