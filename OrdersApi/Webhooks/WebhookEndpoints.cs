using System.Security.Claims;
using Challenge.Contracts.Events;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Limits;
using Challenge.ServiceDefaults.Paging;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.OrdersApi.Webhooks;

/// <summary>
/// Webhook subscriptions to order events, and their deliveries. The tenants' rule holds: an operator subscribes for
/// one customer or for all, a client for its own customer only, and sees and changes its own subscriptions only
/// (another's is not found). The dispatcher (the OrderEvents resource) delivers.
/// </summary>
public static class WebhookEndpoints
{
    private const string SelectSubscriptions = """
        SELECT id, url, events, customer_id AS CustomerId, created_at AS CreatedAt, disabled_at AS DisabledAt, paused_until AS PausedUntil
        FROM webhook_subscriptions
        """;

    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/webhooks")
            .WithTags("Webhooks")
            .RequirePublicAccess(AuthPolicies.Client);
        webhooks.MapPost("/", Create).ProducesValidationProblem();
        webhooks.MapGet("/", List);
        webhooks.MapGet("/{id:long}", Get).ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{id:long}", Delete).ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id:long}/deliveries", Deliveries).ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:long}/deliveries/{deliveryId:long}/retry", Retry)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Subscribes a URL to events of one customer (a client's own, or any for an operator) or, for operators, of all; the secret is in this answer only.</summary>
    public static async Task<Results<Created<CreatedSubscription>, ValidationProblem, ProblemHttpResult>> Create(
        NewSubscription request, ClaimsPrincipal user, MySqlDataSource db, TimeProvider time, IOptions<WebhookOptions> options,
        CancellationToken cancellationToken)
    {
        // Whose subscription it is comes first: a client naming another customer learns nothing, not even whether the
        // URL it named resolves.
        var scope = CustomerScope.Of(user);
        var customerId = request.CustomerId ?? scope.CustomerId;
        if (customerId is { } customer && !scope.Allows(customer))
        {
            return Problems.OtherCustomer();
        }
        var errors = new ValidationErrors();
        var events = await request.ValidateAsync(options.Value, errors, cancellationToken);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        // One scope (a customer, or every customer: 0) at a time, under its row of customer_locks, so that concurrent
        // subscriptions cannot pass the cap; the count is the transaction's first read, taken once the lock is held.
        const string countUnderLock = """
            INSERT INTO customer_locks (customer_id) VALUES (@scope) ON DUPLICATE KEY UPDATE customer_id = customer_id;
            SELECT COUNT(*) FROM webhook_subscriptions WHERE scope_id = @scope;
            """;
        const string insert = """
            INSERT INTO webhook_subscriptions (url, url_key, events, customer_id, secret, created_at)
            VALUES (@Url, @urlKey, @events, @customerId, @secret, @now);
            SELECT LAST_INSERT_ID();
            """;
        var scopeId = customerId ?? 0;
        var cap = customerId is null ? options.Value.MaxSubscriptionsForEveryCustomer : options.Value.MaxSubscriptionsPerCustomer;
        var urlKey = WebhookAddresses.Key(new Uri(request.Url!));
        var secret = WebhookSignature.NewSecret();
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var held = await connection.ExecuteScalarAsync<long>(new CommandDefinition(countUnderLock, new { scope = scopeId }, transaction,
            cancellationToken: cancellationToken));
        if (held >= cap)
        {
            return TypedResults.Problem(
                $"{(customerId is { } owner ? $"Customer {owner}" : "Every customer's scope")} has {held} webhook subscriptions, the most it may have ({cap}); " +
                "delete one to subscribe another.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["limit"] = "subscriptions", ["max"] = cap, ["held"] = held });
        }
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(insert,
                new { request.Url, urlKey, events = string.Join(',', events), customerId, secret, now }, transaction, cancellationToken: cancellationToken));
            await transaction.CommitAsync(cancellationToken);
            return TypedResults.Created($"/webhooks/{id}", new CreatedSubscription(id, request.Url!, events, customerId, secret, now));
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return Problems.Conflict("This URL is subscribed already for the same customer(s) (URLs are compared with scheme and host in lower case " +
                "and a default port dropped); change what it receives by deleting that subscription and subscribing again.");
        }
    }

    public static async Task<Results<Ok<Page<Subscription>>, ValidationProblem>> List(
        string? cursor, string? limit, ClaimsPrincipal user, MySqlDataSource db, CancellationToken cancellationToken)
    {
        var page = await db.ListAsync<SubscriptionRow>(SelectSubscriptions, CustomerScope.SqlFilter, [], 0, r => r.Id, search: null, cursor, limit, cancellationToken,
            new { tenant = CustomerScope.Of(user).CustomerId });
        return page.Result is Ok<Page<SubscriptionRow>> { Value: { } rows }
            ? TypedResults.Ok(rows.Select(Subscription.Of))
            : (ValidationProblem)page.Result;
    }

    public static async Task<Results<Ok<Subscription>, ProblemHttpResult>> Get(long id, ClaimsPrincipal user, MySqlDataSource db, CancellationToken cancellationToken) =>
        await FindAsync(db, id, CustomerScope.Of(user), cancellationToken) is { } row ? TypedResults.Ok(Subscription.Of(row)) : NotFound(id);

    /// <summary>Ends a subscription and its deliveries, pending ones and their history alike.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, ClaimsPrincipal user, MySqlDataSource db, CancellationToken cancellationToken)
    {
        const string sql = $"""
            DELETE FROM webhook_deliveries WHERE subscription_id = (SELECT id FROM webhook_subscriptions WHERE id = @id AND {CustomerScope.SqlFilter});
            DELETE FROM webhook_subscriptions WHERE id = @id AND {CustomerScope.SqlFilter};
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(sql, new { id, tenant = CustomerScope.Of(user).CustomerId }, transaction,
            cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        return deleted == 0 ? NotFound(id) : TypedResults.NoContent();
    }

    /// <summary>A subscription's deliveries by ascending id, optionally of one status.</summary>
    public static async Task<Results<Ok<Page<Delivery>>, ValidationProblem, ProblemHttpResult>> Deliveries(
        long id, string? status, string? cursor, string? limit, ClaimsPrincipal user, MySqlDataSource db, CancellationToken cancellationToken)
    {
        if (status is not null && !DeliveryStatus.All.Contains(status))
        {
            var errors = new ValidationErrors();
            errors.Add("status", $"status must be one of {string.Join(", ", DeliveryStatus.All)}.");
            return errors.ToProblem();
        }
        if (await FindAsync(db, id, CustomerScope.Of(user), cancellationToken) is null)
        {
            return NotFound(id);
        }
        const string select = """
            SELECT Id, EventId, EventType, OrderId, Status, Attempts, NextAttemptAt, GiveUpAt, LastStatusCode, LastError, CreatedAt, DeliveredAt
            FROM (
                SELECT d.id AS Id, d.event_id AS EventId, e.type AS EventType, d.order_id AS OrderId, d.status AS Status, d.attempts AS Attempts,
                       d.next_attempt_at AS NextAttemptAt, d.give_up_at AS GiveUpAt, d.last_status_code AS LastStatusCode,
                       d.last_error AS LastError, d.created_at AS CreatedAt, d.delivered_at AS DeliveredAt, d.subscription_id AS SubscriptionId
                FROM webhook_deliveries d JOIN order_events e ON e.id = d.event_id
            ) deliveries
            """;
        var page = await db.ListAsync<Delivery>(select, "SubscriptionId = @id AND (@status IS NULL OR Status = @status)", [], 0, d => d.Id,
            search: null, cursor, limit, cancellationToken, new { id, status });
        return page.Result is Ok<Page<Delivery>> ok ? ok : (ValidationProblem)page.Result;
    }

    /// <summary>Sends a delivery again, at once and then on the usual schedule: one that failed, or one still being retried.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> Retry(long id, long deliveryId, ClaimsPrincipal user, MySqlDataSource db,
        TimeProvider time, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, id, CustomerScope.Of(user), cancellationToken) is null)
        {
            return NotFound(id);
        }
        const string sql = """
            UPDATE webhook_deliveries
            SET status = 'pending', next_attempt_at = @now, give_up_at = @giveUpAt, claimed_until = NULL, claimed_by = NULL
            WHERE id = @deliveryId AND subscription_id = @id AND status <> 'delivered';
            SELECT ROW_COUNT();
            SELECT COUNT(*) FROM webhook_deliveries WHERE id = @deliveryId AND subscription_id = @id;
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { id, deliveryId, now, giveUpAt = now + options.Value.GiveUpAfter }, cancellationToken: cancellationToken));
        var retried = await results.ReadSingleAsync<long>() == 1;
        var exists = await results.ReadSingleAsync<long>() == 1;
        return (retried, exists) switch
        {
            (true, _) => TypedResults.Accepted($"/webhooks/{id}/deliveries"),
            (false, true) => Problems.Conflict($"Delivery {deliveryId} was delivered already; nothing to retry."),
            _ => Problems.NotFound($"Subscription {id} has no delivery {deliveryId}."),
        };
    }

    private static async Task<SubscriptionRow?> FindAsync(MySqlDataSource db, long id, CustomerScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SubscriptionRow>(new CommandDefinition($"{SelectSubscriptions} WHERE id = @id AND {CustomerScope.SqlFilter}",
            new { id, tenant = scope.CustomerId }, cancellationToken: cancellationToken));
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Webhook subscription {id} does not exist.");
}
