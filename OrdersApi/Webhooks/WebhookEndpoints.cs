using System.Security.Claims;
using Challenge.Webhooks;
using Challenge.Webhooks.Deliveries;
using Challenge.Webhooks.Subscriptions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Challenge.OrdersApi.Webhooks;

/// <summary>
/// Webhook subscriptions to order events, and their deliveries, over the events module's stores. The tenants' rule
/// holds: an operator subscribes for one customer or for all, a client for its own customer only, and sees and changes
/// its own subscriptions only (another's is not found). The dispatcher (the order-events resource) delivers.
/// </summary>
public static class WebhookEndpoints
{
    public static IEndpointRouteBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapGroup("/webhooks")
            .WithTags("Webhooks")
            .RequirePublicAccess(AuthPolicies.Client);
        webhooks.MapPost("/", Create).WithSummary("Subscribe a URL to order events (its secret is in this answer only)").ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        webhooks.MapGet("/", List).WithSummary("List webhook subscriptions");
        webhooks.MapGet("/{id:long}", Get).WithSummary("Read a webhook subscription").ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapDelete("/{id:long}", Delete).WithSummary("End a webhook subscription and its deliveries").ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:long}/enable", Enable).WithSummary("Turn a disabled subscription on again, for new events").ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:long}/rotate-secret", RotateSecret).WithSummary("Rotate the signing secret (the old one signs beside it for an overlap)").ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapGet("/{id:long}/deliveries", Deliveries).WithSummary("List a subscription's deliveries").ProducesProblem(StatusCodes.Status404NotFound);
        webhooks.MapPost("/{id:long}/deliveries/{deliveryId:long}/retry", Retry)
            .WithSummary("Send a delivery again")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    /// <remarks>Subscribes a URL to events of one customer (a client's own, or any for an operator) or, for operators, of all; the secret is in this answer only.</remarks>
    public static async Task<Results<Created<CreatedSubscription>, ValidationProblem, ProblemHttpResult>> Create(
        NewSubscription request, ClaimsPrincipal user, SubscriptionStore subscriptions, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
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
        var (created, refusal) = await subscriptions.CreateAsync(customerId, request.Url!, events, cancellationToken);
        return refusal switch
        {
            null => TypedResults.Created($"/webhooks/{created!.Id}", created),
            { DuplicateUrl: true } => Problems.Conflict(
                "This URL is subscribed already for the same customer(s) (URLs are compared with scheme and host in lower case and a default port " +
                "dropped); change what it receives by deleting that subscription and subscribing again."),
            _ => TypedResults.Problem(
                $"{(customerId is { } owner ? $"Customer {owner}" : "Every customer's scope")} has {refusal.Held} webhook subscriptions, the most it may " +
                $"have ({refusal.Cap}); delete one to subscribe another.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["limit"] = "subscriptions", ["max"] = refusal.Cap, ["held"] = refusal.Held }),
        };
    }

    /// <remarks>The subscriptions the caller may see by ascending id; with <c>customer_id</c>, only those made for that customer.</remarks>
    public static async Task<Results<Ok<Page<Subscription>>, ValidationProblem>> List([FromQuery(Name = "customer_id")] long? customerId,
        [AsParameters] PageQuery query, ClaimsPrincipal user, SubscriptionStore subscriptions, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = query.Validate(errors);
        if (customerId is < 1)
        {
            errors.Add("customer_id", "customer_id must be a positive customer id.");
        }
        return errors.IsEmpty ? TypedResults.Ok(await subscriptions.ListAsync(customerId, page, CustomerScope.Of(user), cancellationToken)) : errors.ToProblem();
    }

    public static async Task<Results<Ok<Subscription>, ProblemHttpResult>> Get(long id, ClaimsPrincipal user, SubscriptionStore subscriptions,
        CancellationToken cancellationToken) =>
        await subscriptions.FindAsync(id, CustomerScope.Of(user), cancellationToken) is { } subscription ? TypedResults.Ok(subscription) : NotFound(id);

    /// <remarks>Ends a subscription and its deliveries, pending ones and their history alike.</remarks>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, ClaimsPrincipal user, SubscriptionStore subscriptions,
        CancellationToken cancellationToken) =>
        await subscriptions.DeleteAsync(id, CustomerScope.Of(user), cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    /// <remarks>Turns a subscription on again after a 410 Gone (and ends any pause); events of the time it was off are in the feed, not queued.</remarks>
    public static async Task<Results<Ok<Subscription>, ProblemHttpResult>> Enable(long id, ClaimsPrincipal user, SubscriptionStore subscriptions,
        CancellationToken cancellationToken) =>
        await subscriptions.EnableAsync(id, CustomerScope.Of(user), cancellationToken) is { } subscription ? TypedResults.Ok(subscription) : NotFound(id);

    /// <remarks>A new secret, shown in this answer only; the previous one keeps signing beside it for the overlap.</remarks>
    public static async Task<Results<Ok<RotatedSecret>, ProblemHttpResult>> RotateSecret(long id, ClaimsPrincipal user, SubscriptionStore subscriptions,
        CancellationToken cancellationToken) =>
        await subscriptions.RotateSecretAsync(id, CustomerScope.Of(user), cancellationToken) is { } rotated ? TypedResults.Ok(rotated) : NotFound(id);

    /// <remarks>A subscription's deliveries by ascending id, optionally of one status, optionally of one order's events.</remarks>
    public static async Task<Results<Ok<Page<Delivery>>, ValidationProblem, ProblemHttpResult>> Deliveries(
        long id, [FromQuery(Name = "status")] string? status, [FromQuery(Name = "order_id")] long? orderId, [AsParameters] PageQuery query, ClaimsPrincipal user, SubscriptionStore subscriptions,
        DeliveryStore deliveries, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = query.Validate(errors);
        if (status is not null && !DeliveryStatus.All.Contains(status))
        {
            errors.Add("status", $"status must be one of {string.Join(", ", DeliveryStatus.All)}.");
        }
        if (orderId is < 1)
        {
            errors.Add("order_id", "order_id must be a positive order id.");
        }
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        if (await subscriptions.FindAsync(id, CustomerScope.Of(user), cancellationToken) is null)
        {
            return NotFound(id);
        }
        return TypedResults.Ok(await deliveries.ListAsync(id, status, orderId, page, cancellationToken));
    }

    /// <remarks>Sends a delivery again, at once and then on the usual schedule: one that failed, or one still being retried.</remarks>
    public static async Task<Results<Accepted, ProblemHttpResult>> Retry(long id, long deliveryId, ClaimsPrincipal user, SubscriptionStore subscriptions,
        DeliveryStore deliveries, IOptions<WebhookOptions> options, CancellationToken cancellationToken)
    {
        if (await subscriptions.FindAsync(id, CustomerScope.Of(user), cancellationToken) is null)
        {
            return NotFound(id);
        }
        return await deliveries.ResendAsync(id, deliveryId, options.Value.GiveUpAfter, cancellationToken) switch
        {
            Resend.Accepted => TypedResults.Accepted($"/webhooks/{id}/deliveries"),
            Resend.DeliveredAlready => Problems.Conflict($"Delivery {deliveryId} was delivered already; nothing to send again."),
            Resend.InFlight => Problems.Conflict($"Delivery {deliveryId} is being sent right now; see its outcome in the deliveries, then send it again if it failed."),
            Resend.SubscriptionDisabled => Problems.Conflict(
                $"Subscription {id} is disabled (its receiver answered 410 Gone); enable it (POST /webhooks/{id}/enable) to send to it again."),
            _ => Problems.NotFound($"Subscription {id} has no delivery {deliveryId}."),
        };
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Webhook subscription {id} does not exist.");
}
