using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

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
            .WithSummary("Place an order (CREATED): its stock reserved until it is confirmed or canceled")
            .Produces<Order>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status504GatewayTimeout);
        orders.MapGet("/{id:long}", Get).WithSummary("Read an order").ProducesProblem(StatusCodes.Status404NotFound);
        orders.MapGet("/", List).WithSummary("List orders, by status, customer and creation time");
        orders.MapPost("/{id:long}/confirm", Confirm)
            .WithSummary("Confirm an order (an Idempotency-Key is required)")
            .Produces<Order>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        orders.MapPost("/{id:long}/cancel", Cancel)
            .WithSummary("Cancel an order: its stock comes back")
            .Produces<Order>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <remarks>Creates an order (CREATED); with an Idempotency-Key, a retry replays the first answer.</remarks>
    public static async Task<OrderOutcome> Create(NewOrder request, HttpRequest http, OrderPlacement placement, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = IdempotencyKeys.Read(http.HeaderValue, errors);
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

    public static async Task<Results<Ok<Order>, ProblemHttpResult>> Get(long id, ClaimsPrincipal user, OrderStore orders, CancellationToken cancellationToken) =>
        await orders.FindAsync(id, CustomerScope.Of(user), cancellationToken) is { } order ? TypedResults.Ok(order) : OrderWriter.NotFound(id);

    /// <remarks>
    /// Orders by ascending id, filtered by status, customer and creation time (<c>from</c> inclusive, <c>to</c> exclusive);
    /// a client's list holds its own customer's orders whatever the query says.
    /// </remarks>
    public static async Task<Results<Ok<Page<Order>>, ValidationProblem>> List(
        [AsParameters] OrderListQuery query, [AsParameters] PageQuery page, ClaimsPrincipal user, OrderStore orders, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var filter = query.Validate(errors);
        var request = page.Validate(errors);
        return errors.IsEmpty ? TypedResults.Ok(await orders.PageAsync(filter, request, CustomerScope.Of(user), cancellationToken)) : errors.ToProblem();
    }

    /// <remarks>CREATED becomes CONFIRMED; confirming a CONFIRMED order answers it as it is. The key is required.</remarks>
    public static async Task<OrderOutcome> Confirm(long id, HttpRequest http, OrderWriter writer, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var key = IdempotencyKeys.ReadRequired(http.HeaderValue, errors);
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
}
