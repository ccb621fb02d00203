using Challenge.Identity;
using Challenge.Data;
using Challenge.Webhooks.Signing;
using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.Webhooks.Subscriptions;

/// <summary>
/// The webhook subscriptions' SQL: made under their scope's caps, read, ended, enabled again, their secrets rotated,
/// always within the caller's <see cref="CustomerScope"/> (another customer's subscription does not exist for a client).
/// Secrets are stored protected (<see cref="WebhookSecrets"/>) and shown in plain text once, when made or rotated.
/// </summary>
public sealed class SubscriptionStore(Database db, WebhookSecrets secrets, TimeProvider time, IOptions<WebhookOptions> options)
{
    private const string Select = """
        SELECT id, url, events, customer_id AS CustomerId, created_at AS CreatedAt, disabled_at AS DisabledAt, paused_until AS PausedUntil,
               previous_secret_until AS PreviousSecretExpiresAt
        FROM webhook_subscriptions
        """;

    private sealed record Row(long Id, string Url, string Events, long? CustomerId, DateTime CreatedAt, DateTime? DisabledAt, DateTime? PausedUntil,
        DateTime? PreviousSecretExpiresAt)
    {
        public Subscription ToSubscription() => new(Id, Url, Events.Split(','), CustomerId, CreatedAt, DisabledAt, PausedUntil, PreviousSecretExpiresAt);
    }

    /// <summary>
    /// Subscribes <paramref name="url"/> (already judged) for <paramref name="customerId"/>, or every customer when null:
    /// the subscription with its secret, or why not (the scope's cap reached, or the URL subscribed already). The scope
    /// is judged under its row of <c>customer_locks</c>, so that concurrent subscriptions cannot pass the cap; the count
    /// is the transaction's first read, taken once the lock is held.
    /// </summary>
    public async Task<(CreatedSubscription? Created, SubscriptionRefusal? Refusal)> CreateAsync(long? customerId, string url, IReadOnlyList<string> events,
        CancellationToken cancellationToken)
    {
        const string countUnderLock = """
            INSERT INTO customer_locks (customer_id) VALUES (@scope) ON DUPLICATE KEY UPDATE customer_id = customer_id;
            SELECT COUNT(*) FROM webhook_subscriptions WHERE scope_id = @scope;
            """;
        const string insert = """
            INSERT INTO webhook_subscriptions (url, url_key, events, customer_id, secret, created_at, active_since)
            VALUES (@url, @urlKey, @events, @customerId, @stored, @now, @now);
            SELECT LAST_INSERT_ID();
            """;
        var cap = customerId is null ? options.Value.MaxSubscriptionsForEveryCustomer : options.Value.MaxSubscriptionsPerCustomer;
        var secret = WebhookSignature.NewSecret();
        var stored = await secrets.ProtectAsync(secret, cancellationToken);
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var held = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countUnderLock, new { scope = customerId ?? 0 }, transaction,
            cancellationToken: cancellationToken));
        if (held >= cap)
        {
            return (null, new(held, cap, DuplicateUrl: false));
        }
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert,
                new { url, urlKey = WebhookAddresses.Key(new Uri(url)), events = string.Join(',', events), customerId, stored, now }, transaction,
                cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return (new(id, url, events, customerId, secret, now), null);
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return (null, new(null, null, DuplicateUrl: true));
        }
    }

    /// <summary>The subscriptions in the caller's <paramref name="scope"/> by ascending id, only those of <paramref name="customerId"/> when one is named.</summary>
    public async Task<Page<Subscription>> ListAsync(long? customerId, PageRequest page, CustomerScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"{Select} WHERE id > @Cursor AND {CustomerScope.SqlFilter} AND (@customerId IS NULL OR customer_id = @customerId) ORDER BY id LIMIT @Take";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(sql, new { page.Cursor, page.Take, tenant = scope.CustomerId, customerId },
            cancellationToken: cancellationToken))).AsList();
        return page.ToPage(rows, row => row.Id).Select(row => row.ToSubscription());
    }

    public async Task<Subscription?> FindAsync(long id, CustomerScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE id = @id AND {CustomerScope.SqlFilter}",
            new { id, tenant = scope.CustomerId }, cancellationToken: cancellationToken)))?.ToSubscription();
    }

    /// <summary>Ends a subscription and its deliveries, pending ones and their history alike; whether there was one.</summary>
    public async Task<bool> DeleteAsync(long id, CustomerScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            DELETE FROM webhook_deliveries WHERE subscription_id = (SELECT id FROM webhook_subscriptions WHERE id = @id AND {CustomerScope.SqlFilter});
            DELETE FROM webhook_subscriptions WHERE id = @id AND {CustomerScope.SqlFilter};
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { id, tenant = scope.CustomerId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted > 0;
    }

    /// <summary>
    /// Turns a subscription back on after a 410 Gone (and ends any pause): events from now on are queued for it; those
    /// of the time it was disabled are in the feed. The subscription as it now is, or null when there is none.
    /// </summary>
    public async Task<Subscription?> EnableAsync(long id, CustomerScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE webhook_subscriptions SET active_since = IF(disabled_at IS NULL, active_since, @now), disabled_at = NULL, failures = 0, paused_until = NULL
            WHERE id = @id AND {CustomerScope.SqlFilter};
            {Select} WHERE id = @id AND {CustomerScope.SqlFilter};
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { id, tenant = scope.CustomerId, now = time.UtcNowMilliseconds() },
            cancellationToken: cancellationToken));
        return (await results.ReadSingleOrDefaultAsync<Row>())?.ToSubscription();
    }

    /// <summary>
    /// A new secret for the subscription, shown this once; the one it replaces keeps signing beside it for
    /// <see cref="WebhookOptions.SecretOverlap"/> (a rotation during an overlap ends the older secret's). Null when there is none.
    /// </summary>
    public async Task<RotatedSecret?> RotateSecretAsync(long id, CustomerScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE webhook_subscriptions SET previous_secret = secret, previous_secret_until = @until, secret = @stored
            WHERE id = @id AND {CustomerScope.SqlFilter}
            """;
        var secret = WebhookSignature.NewSecret();
        var stored = await secrets.ProtectAsync(secret, cancellationToken);
        var until = time.UtcNowMilliseconds() + options.Value.SecretOverlap;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rotated = await connection.ExecuteAsync(new CommandDefinition(sql, new { id, tenant = scope.CustomerId, stored, until },
            cancellationToken: cancellationToken));
        return rotated == 1 ? new(secret, until) : null;
    }

    /// <summary>
    /// Brings subscriptions made before this version up to it: their secret protected, and the key their URL is compared
    /// by (a URL that another subscription of its scope already has keeps none: both stay, as they were made). How many
    /// it changed.
    /// </summary>
    public async Task<int> UpgradeLegacyAsync(CancellationToken cancellationToken)
    {
        const string legacy = $"SELECT id, url, secret FROM webhook_subscriptions WHERE url_key IS NULL OR LEFT(secret, 6) = '{WebhookSignature.SecretPrefix}'";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(long Id, string Url, string Secret)>(new CommandDefinition(legacy, cancellationToken: cancellationToken))).AsList();
        foreach (var (id, url, secret) in rows)
        {
            var stored = WebhookSecrets.IsProtected(secret) ? secret : await secrets.ProtectAsync(secret, cancellationToken);
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE webhook_subscriptions SET secret = @stored, url_key = COALESCE(url_key, @urlKey) WHERE id = @id AND secret = @secret",
                    new { id, secret, stored, urlKey = WebhookAddresses.Key(new Uri(url)) }, cancellationToken: cancellationToken));
            }
            catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
            {
                await connection.ExecuteAsync(new CommandDefinition("UPDATE webhook_subscriptions SET secret = @stored WHERE id = @id AND secret = @secret",
                    new { id, secret, stored }, cancellationToken: cancellationToken));
            }
        }
        return rows.Count;
    }
}
