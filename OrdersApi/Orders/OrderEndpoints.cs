using Challenge.ServiceDefaults.Data;
using System.Globalization;
using System.Security.Claims;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Limits;
using Challenge.ServiceDefaults.Paging;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MySqlConnector;
using Challenge.Contracts.Idempotency;
using Challenge.OrdersApi.Idempotency;
using Challenge.OrdersApi.Orders.Writing;

namespace Challenge.OrdersApi.Orders;

public static class OrderEndpoints
{
    /// <summary>A confirmation's key is scoped to this operation; its fingerprint is the order id.</summary>
    public const string ConfirmOperation = "confirm";

    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        // Operators reach every customer's orders; a client its own customer's alone (CustomerScope), and another's
        // order is not found for it, exactly as an unknown one.
        var orders = app.MapGroup("/orders")
            .WithTags("Orders")
            .RequirePublicAccess(AuthPolicies.Client);
        orders.MapPost("/", Create)
            .Produces<Order>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        orders.MapGet("/{id:long}", Get).ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapGet("/", List);
        orders.MapPost("/{id:long}/confirm", Confirm)
            .Produces<Order>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapPost("/{id:long}/cancel", Cancel)
            .Produces<Order>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <summary>Creates an order (CREATED); with an Idempotency-Key, a retry replays the first answer.</summary>
    public static async Task<OrderOutcome> Create(NewOrder request, HttpRequest http, OrderPlacement placement, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = IdempotencyKeys.Read(http, errors);
        var lines = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        var user = http.HttpContext.User;
        var scope = CustomerScope.Of(user);
        if (!scope.Allows(request.CustomerId!.Value))
        {
            return Problems.OtherCustomer();
        }
        return await placement.PlaceAsync(request.CustomerId!.Value, lines, scope, Callers.Of(user), key, cancellationToken);
    }

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> Get(long id, ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var order = await OrderQueries.FindAsync(connection, id, cancellationToken);
        return order is null || !CustomerScope.Of(user).Allows(order.CustomerId) ? OrderWriter.NotFound(id) : TypedResults.Ok(order);
    }

    /// <summary>
    /// Orders by ascending id, filtered by status, customer and creation time (<c>from</c> inclusive, <c>to</c> exclusive);
    /// a client's list holds its own customer's orders whatever the query says.
    /// </summary>
    public static async Task<Results<Ok<Page<Order>>, ValidationProblem>> List(
        string? status, [FromQuery(Name = "customer_id")] string? customerId, string? from, string? to, string? cursor, string? limit,
        ClaimsPrincipal user, Database db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = PageRequest.Parse(limit, cursor, errors);
        var filter = new OrderFilter(
            ParseStatus(status, errors),
            ParseId(customerId, "customer_id", errors),
            ParseTime(from, "from", errors),
            ParseTime(to, "to", errors));
        if (filter is { From: { } start, To: { } end } && start >= end)
        {
            errors.Add("to", "to must be later than from.");
        }
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        const string sql = $"""
            {OrderQueries.SelectOrders}
            WHERE id > @Cursor
              AND (@Status IS NULL OR status = @Status)
              AND (@CustomerId IS NULL OR customer_id = @CustomerId)
              AND {CustomerScope.SqlFilter}
              AND (@From IS NULL OR created_at >= @From)
              AND (@To IS NULL OR created_at < @To)
            ORDER BY id
            LIMIT @Take
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OrderQueries.OrderRow>(new CommandDefinition(
            sql, new { page.Cursor, page.Take, filter.Status, filter.CustomerId, tenant = CustomerScope.Of(user).CustomerId, filter.From, filter.To },
            cancellationToken: cancellationToken))).AsList();
        var shown = page.ToPage(rows, r => r.Id);
        var orders = await OrderQueries.WithItemsAsync(connection, shown.Data, cancellationToken);
        return TypedResults.Ok(new Page<Order>(orders, shown.NextCursor));
    }

    /// <summary>CREATED becomes CONFIRMED; confirming a CONFIRMED order answers it as it is. The key is required.</summary>
    public static async Task<OrderOutcome> Confirm(long id, HttpRequest http, OrderWriter writer, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = IdempotencyKeys.ReadRequired(http, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        var user = http.HttpContext.User;
        var idempotent = IdempotentRequest.Create(ConfirmOperation, Callers.Of(user), key!, id.ToString(CultureInfo.InvariantCulture));
        return await writer.ConfirmAsync(id, CustomerScope.Of(user), idempotent, cancellationToken);
    }

    public static Task<OrderOutcome> Cancel(long id, ClaimsPrincipal user, OrderWriter writer, CancellationToken cancellationToken) =>
        writer.CancelAsync(id, CustomerScope.Of(user), cancellationToken);

    private sealed record OrderFilter(string? Status, long? CustomerId, DateTime? From, DateTime? To);

    private static string? ParseStatus(string? value, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        var status = OrderStatus.All.FirstOrDefault(s => s.Equals(value, StringComparison.OrdinalIgnoreCase));
        if (status is null)
        {
            errors.Add("status", $"status must be one of {string.Join(", ", OrderStatus.All)}.");
        }
        return status;
    }

    private static long? ParseId(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id < 1)
        {
            errors.Add(field, $"{field} must be a positive id.");
        }
        return id;
    }

    private static DateTime? ParseTime(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            errors.Add(field, $"{field} must be an ISO 8601 timestamp, e.g. 2026-11-24T08:00:00Z.");
        }
        return time.UtcDateTime;
    }
}
