using System.Globalization;
using System.Text;
using Challenge.Data;
using Challenge.Webhooks.Signing;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.Webhooks.Deliveries;

/// <summary>
/// The one owner of a delivery's state; the database is the queue. Events are fanned out into deliveries by whichever
/// instance locks them first (the rest skip them); a delivery is claimed by a guarded update that sets a lease, so that
/// one instance at a time works on it, and one that dies mid-delivery loses nothing: the lease runs out and another
/// claims it again. Claims are fair: each subscription has a bounded number of deliveries in flight, and the capacity
/// is dealt round by round across customers and, within a customer, across its subscriptions, not to whoever's
/// deliveries came due first. A re-send by hand goes through here too, and respects the lease.
/// </summary>
public sealed class DeliveryStore(Database db, WebhookSecrets secrets, TimeProvider time, IOptions<DispatcherOptions> options)
{
    /// <summary>The longest pause of a subscription that keeps failing.</summary>
    public static readonly TimeSpan LongestPause = TimeSpan.FromHours(1);

    /// <summary>The longest failure text kept with a delivery (its column's size): a longer one is cut, never refused.</summary>
    public const int MaxErrorLength = 500;

    private const string Pending = DeliveryStatus.Pending;

    /// <summary>
    /// Turns up to <paramref name="limit"/> new events into one delivery per subscription that wants them (its customer,
    /// or every customer; its event types; active since before the event, made or enabled again; not disabled), in one transaction. How many events it
    /// took. With nothing new, it asks one indexed question and opens no transaction.
    /// </summary>
    public async Task<int> FanOutAsync(int limit, TimeSpan giveUpAfter, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM order_events WHERE fanned_out = FALSE ORDER BY id LIMIT 1", cancellationToken: cancellationToken)) is null)
        {
            return 0;
        }
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
        // A paused subscription's new deliveries wait for the end of its pause, as its backlog does.
        const string sql = $"""
            INSERT IGNORE INTO webhook_deliveries (subscription_id, event_id, order_id, status, next_attempt_at, give_up_at, created_at)
            SELECT s.id, e.id, e.order_id, '{Pending}', GREATEST(@now, COALESCE(s.paused_until, @now)), @giveUpAt, @now
            FROM order_events e
            JOIN webhook_subscriptions s
              ON (s.customer_id IS NULL OR s.customer_id = e.customer_id)
             AND FIND_IN_SET(e.type, s.events) > 0
             AND s.active_since <= e.occurred_at
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
    /// fanned out and delivered (or given up) to its subscription: an order's events arrive in order. Each subscription
    /// offers as many as it has room for (<see cref="DispatcherOptions.MaxInFlightPerSubscription"/> less what it has in
    /// flight, counted over every instance from the leases; one while it keeps failing), dealt in turns across owners
    /// and their subscriptions (<see cref="Turns.Deal"/>). What a claim costs depends on the subscriptions waiting and
    /// the deliveries taken, never on how long the backlog is. Each comes with its subscription's secrets in plain
    /// text: the current one, and the previous one while a rotation's overlap lasts.
    /// </summary>
    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimAsync(string claimant, int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        // Every subscription with a delivery due that no instance holds, its room, and since when it has waited: the
        // deliveries in flight (a few rows), and one index probe per subscription.
        const string waiting = $"""
            SELECT Subscription, Owner, Room, WaitingSince
            FROM (
                SELECT s.id AS Subscription, COALESCE(s.customer_id, -s.id) AS Owner,
                       IF(s.failures >= @pauseAfter, 1, @perSubscription) - COALESCE(busy.n, 0) AS Room,
                       (SELECT d.next_attempt_at FROM webhook_deliveries d
                        WHERE d.subscription_id = s.id AND d.status = '{Pending}' AND d.next_attempt_at <= @now
                          AND (d.claimed_until IS NULL OR d.claimed_until <= @now)
                        ORDER BY d.next_attempt_at LIMIT 1) AS WaitingSince
                FROM webhook_subscriptions s
                LEFT JOIN (SELECT subscription_id, COUNT(*) AS n FROM webhook_deliveries
                           WHERE status = '{Pending}' AND claimed_until > @now GROUP BY subscription_id) busy ON busy.subscription_id = s.id
            ) w
            WHERE WaitingSince IS NOT NULL AND Room > 0
            """;
        var settings = options.Value;
        var now = time.UtcNowMilliseconds();
        List<ClaimedRow> claimed;
        await using (var connection = await db.OpenConnectionAsync(cancellationToken))
        {
            var shares = Turns.Deal(await connection.QueryAsync<Waiting>(new CommandDefinition(waiting,
                new { now, perSubscription = settings.MaxInFlightPerSubscription, pauseAfter = settings.PauseAfterFailures },
                cancellationToken: cancellationToken)), limit);
            if (shares.Count == 0)
            {
                return [];
            }
            // Each subscription's oldest due deliveries, as many as its share: a few index rows each. The order checks
            // name their index: under churn the optimizer would take the status index instead, and read the
            // subscription's whole backlog for every candidate (measured: a claim of 20 ms instead of 1).
            var parameters = new DynamicParameters(new { now });
            var candidates = string.Join("\nUNION ALL\n", shares.Select((share, i) =>
            {
                parameters.Add($"s{i}", share.Key);
                parameters.Add($"n{i}", share.Value);
                return $"""
                    (SELECT d.id FROM webhook_deliveries d
                     WHERE d.subscription_id = @s{i} AND d.status = '{Pending}' AND d.next_attempt_at <= @now
                       AND (d.claimed_until IS NULL OR d.claimed_until <= @now)
                       AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p FORCE INDEX (ix_webhook_deliveries_order)
                                       WHERE p.subscription_id = d.subscription_id AND p.order_id = d.order_id AND p.event_id < d.event_id
                                         AND p.status = '{Pending}')
                       AND NOT EXISTS (SELECT 1 FROM order_events e FORCE INDEX (ix_order_events_order)
                                       WHERE e.order_id = d.order_id AND e.id < d.event_id AND e.fanned_out = FALSE)
                     ORDER BY d.next_attempt_at, d.id LIMIT @n{i})
                    """;
            }));
            var ids = (await connection.QueryAsync<long>(new CommandDefinition(candidates, parameters, cancellationToken: cancellationToken))).AsList();
            if (ids.Count == 0)
            {
                return [];
            }
            // The claim itself is judged again under each row's lock: of two instances that saw the same candidate, one gets it.
            const string claim = $"""
                UPDATE webhook_deliveries SET claimed_by = @claimant, claimed_until = @until, attempts = attempts + 1
                WHERE id IN @ids AND status = '{Pending}' AND (claimed_until IS NULL OR claimed_until <= @now);
                SELECT d.id, d.subscription_id AS SubscriptionId, d.event_id AS EventId, e.type AS EventType, s.url, s.secret,
                       IF(s.previous_secret_until > @now, s.previous_secret, NULL) AS PreviousSecret, e.payload, e.traceparent, d.attempts,
                       d.give_up_at AS GiveUpAt, d.claimed_until AS ClaimedUntil
                FROM webhook_deliveries d
                JOIN order_events e ON e.id = d.event_id
                JOIN webhook_subscriptions s ON s.id = d.subscription_id
                WHERE d.id IN @ids AND d.claimed_by = @claimant AND d.claimed_until = @until;
                """;
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(claim, new { ids, claimant, now, until = now + lease },
                cancellationToken: cancellationToken));
            claimed = (await results.ReadAsync<ClaimedRow>()).AsList();
        }
        var deliveries = new List<ClaimedDelivery>(claimed.Count);
        foreach (var row in claimed)
        {
            IReadOnlyList<string> signing = row.PreviousSecret is { } previous
                ? [await secrets.UnprotectAsync(row.Secret, cancellationToken), await secrets.UnprotectAsync(previous, cancellationToken)]
                : [await secrets.UnprotectAsync(row.Secret, cancellationToken)];
            deliveries.Add(new(row.Id, row.SubscriptionId, row.EventId, row.EventType, row.Url, signing, row.Payload, row.Traceparent, row.Attempts,
                row.GiveUpAt, row.ClaimedUntil));
        }
        return deliveries;
    }

    private sealed record ClaimedRow(long Id, long SubscriptionId, long EventId, string EventType, string Url, string Secret, string? PreviousSecret,
        string Payload, string? Traceparent, int Attempts, DateTime GiveUpAt, DateTime ClaimedUntil);

    /// <summary>
    /// Records attempts the receivers accepted, in one transaction however many (under load, one commit records the
    /// successes of many slots), each unless its claim was lost meanwhile (then the instance that holds it does); a
    /// success ends its subscription's failures and any pause.
    /// </summary>
    public async Task RecordDeliveredAsync(IReadOnlyCollection<(ClaimedDelivery Delivery, Attempt Attempt)> delivered, string claimant,
        CancellationToken cancellationToken)
    {
        // The subscriptions' rows first, then the deliveries' by id: the order a failure takes them in (no deadlock between the two).
        var parameters = new DynamicParameters(new
        {
            claimant, now = time.UtcNowMilliseconds(), subscriptions = delivered.Select(d => d.Delivery.SubscriptionId).Distinct().Order().ToList(),
        });
        var sql = new StringBuilder("UPDATE webhook_subscriptions SET failures = 0, paused_until = NULL WHERE id IN @subscriptions AND failures > 0;\n");
        foreach (var (i, (delivery, attempt)) in delivered.OrderBy(d => d.Delivery.Id).Index())
        {
            parameters.Add($"i{i}", delivery.Id);
            parameters.Add($"u{i}", delivery.ClaimedUntil);
            parameters.Add($"c{i}", attempt.StatusCode);
            sql.Append(CultureInfo.InvariantCulture, $"""
                UPDATE webhook_deliveries SET status = '{DeliveryStatus.Delivered}', delivered_at = @now, claimed_until = NULL, last_status_code = @c{i},
                       last_error = NULL
                WHERE id = @i{i} AND claimed_by = @claimant AND claimed_until = @u{i};

                """);
        }
        await ExecuteInTransactionAsync(sql.ToString(), parameters, cancellationToken);
    }

    /// <summary>
    /// Records an attempt that failed, unless the claim was lost meanwhile (then the instance that holds it does), and
    /// with it the subscription's health: a 410 Gone disables it; any other failure counts, and past
    /// <see cref="DispatcherOptions.PauseAfterFailures"/> in a row pauses the subscription, its pending deliveries
    /// waiting for the pause to end. Nothing the receiver or the network said can make the recording fail.
    /// </summary>
    public async Task RecordFailureAsync(ClaimedDelivery delivery, string claimant, Attempt attempt, CancellationToken cancellationToken)
    {
        var now = time.UtcNowMilliseconds();
        var sql = attempt switch
        {
            { Gone: true } => $"""
                UPDATE webhook_subscriptions SET disabled_at = @now WHERE id = @subscription AND disabled_at IS NULL;
                UPDATE webhook_deliveries SET status = '{DeliveryStatus.Failed}', claimed_until = NULL, last_status_code = @code, last_error = @error
                WHERE subscription_id = @subscription AND status = '{Pending}';
                """,
            _ when now >= delivery.GiveUpAt => $"""
                {CountFailure}
                UPDATE webhook_deliveries SET status = '{DeliveryStatus.Failed}', claimed_until = NULL, last_status_code = @code, last_error = @error
                WHERE id = @id AND claimed_by = @claimant AND claimed_until = @until;
                {PutOffBacklog}
                """,
            _ => $"""
                {CountFailure}
                UPDATE webhook_deliveries SET next_attempt_at = @next, claimed_until = NULL, last_status_code = @code, last_error = @error
                WHERE id = @id AND claimed_by = @claimant AND claimed_until = @until;
                {PutOffBacklog}
                """,
        };
        var settings = options.Value;
        var next = now + Backoff.After(delivery.Attempts, Random.Shared.NextDouble());
        await ExecuteInTransactionAsync(sql, new
        {
            id = delivery.Id, subscription = delivery.SubscriptionId, claimant, until = delivery.ClaimedUntil, now,
            next = next < delivery.GiveUpAt ? next : delivery.GiveUpAt, code = attempt.StatusCode, error = Cut(attempt.Error),
            pauseAfter = settings.PauseAfterFailures, firstPauseMs = (long)settings.FirstPause.TotalMilliseconds,
            longestPauseMs = (long)LongestPause.TotalMilliseconds,
        }, cancellationToken);
    }

    /// <summary>
    /// An outcome's statements in one transaction, tried up to three times when it fails before its commit: nothing of
    /// it is written then (a transaction rolled back by a deadlock, or one on a pooled connection the server had
    /// closed, as after an outage), so that it is recorded again rather than left to its lease and sent twice. A
    /// failure of the commit itself is not retried: it may have been written.
    /// </summary>
    private async Task ExecuteInTransactionAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        for (var tries = 1; ; tries++)
        {
            var committing = false;
            try
            {
                await using var connection = await db.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellationToken));
                committing = true;
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (!committing && tries < 3 && !cancellationToken.IsCancellationRequested
                                              && exception is MySqlException or MySqlEndOfStreamException)
            {
                if (DatabaseOutage.IsOutage(exception))
                {
                    // Pooled connections the server no longer knows (it closed them, or restarted): the next try opens a new one.
                    db.ForgetPooledConnections();
                }
            }
        }
    }

    private const string CountFailure = """
        UPDATE webhook_subscriptions SET failures = failures + IF(paused_until > @now, 0, 1) WHERE id = @subscription;
        UPDATE webhook_subscriptions
        SET paused_until = DATE_ADD(@now, INTERVAL FLOOR(LEAST(@longestPauseMs, @firstPauseMs * POW(2, LEAST(failures - @pauseAfter, 20)))) * 1000 MICROSECOND)
        WHERE id = @subscription AND failures >= @pauseAfter AND (paused_until IS NULL OR paused_until <= @now);
        """;

    /// <summary>While the subscription is paused, its pending deliveries (none in flight) wait for the pause's end.</summary>
    private const string PutOffBacklog = $"""
        UPDATE webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        SET d.next_attempt_at = s.paused_until
        WHERE s.id = @subscription AND s.paused_until > @now AND d.subscription_id = @subscription AND d.status = '{Pending}'
          AND d.next_attempt_at < s.paused_until AND (d.claimed_until IS NULL OR d.claimed_until <= @now);
        """;

    /// <summary>A failure's text as it is kept: at most <see cref="MaxErrorLength"/> characters, never half a character.</summary>
    public static string? Cut(string? error) =>
        error is null || error.Length <= MaxErrorLength ? error
        : char.IsHighSurrogate(error[MaxErrorLength - 2]) ? error[..(MaxErrorLength - 2)] + "…" : error[..(MaxErrorLength - 1)] + "…";

    /// <summary>A subscription's deliveries by ascending id, optionally of one status (<see cref="DeliveryStatus"/>) and of one order's events.</summary>
    public async Task<Page<Delivery>> ListAsync(long subscriptionId, string? status, long? orderId, PageRequest page, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT d.id, d.event_id AS EventId, e.type AS EventType, d.order_id AS OrderId, e.sequence, d.status, d.attempts,
                   d.next_attempt_at AS NextAttemptAt, d.give_up_at AS GiveUpAt, d.last_status_code AS LastStatusCode, d.last_error AS LastError,
                   d.created_at AS CreatedAt, d.delivered_at AS DeliveredAt
            FROM webhook_deliveries d JOIN order_events e ON e.id = d.event_id
            WHERE d.subscription_id = @subscriptionId AND d.id > @Cursor AND (@status IS NULL OR d.status = @status)
              AND (@orderId IS NULL OR d.order_id = @orderId)
            ORDER BY d.id
            LIMIT @Take
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Delivery>(new CommandDefinition(sql, new { subscriptionId, status, orderId, page.Cursor, page.Take },
            cancellationToken: cancellationToken))).AsList();
        return page.ToPage(rows, delivery => delivery.Id);
    }

    /// <summary>
    /// Makes a delivery due again at once, then on the usual schedule for a fresh <see cref="WebhookOptions.GiveUpAfter"/>:
    /// one that failed or is still being retried. Not one a dispatcher holds now (it would go out twice at once), not one
    /// delivered already, not one of a disabled subscription; the answer says which.
    /// </summary>
    public async Task<Resend> ResendAsync(long subscriptionId, long deliveryId, TimeSpan giveUpAfter, CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
            SET d.status = '{Pending}', d.next_attempt_at = @now, d.give_up_at = @giveUpAt
            WHERE d.id = @deliveryId AND d.subscription_id = @subscriptionId AND d.status <> '{DeliveryStatus.Delivered}'
              AND (d.claimed_until IS NULL OR d.claimed_until <= @now) AND s.disabled_at IS NULL;
            SELECT ROW_COUNT();
            SELECT d.status, d.claimed_until > @now AS InFlight, s.disabled_at IS NOT NULL AS Disabled
            FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
            WHERE d.id = @deliveryId AND d.subscription_id = @subscriptionId;
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { subscriptionId, deliveryId, now, giveUpAt = now + giveUpAfter }, cancellationToken: cancellationToken));
        var resent = await results.ReadSingleAsync<long>() == 1;
        var state = await results.ReadSingleOrDefaultAsync<(string Status, bool? InFlight, bool Disabled)?>();
        return (resent, state) switch
        {
            (true, _) => Resend.Accepted,
            (_, null) => Resend.NotFound,
            (_, { Status: DeliveryStatus.Delivered }) => Resend.DeliveredAlready,
            (_, { Disabled: true }) => Resend.SubscriptionDisabled,
            _ => Resend.InFlight,
        };
    }
}

