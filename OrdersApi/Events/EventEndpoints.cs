using System.Security.Claims;
using Challenge.Webhooks.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Challenge.OrdersApi.Events;

/// <summary>
/// The order events feed: what a receiver reads to catch up on what it missed (down longer than the retries, or
/// disabled meanwhile), each event as its webhook body with its id, the <c>webhook-id</c> of its deliveries.
/// </summary>
public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/events")
            .WithTags("Events")
            .RequirePublicAccess(AuthPolicies.Client)
            .MapGet("/", List)
            .WithSummary("Read the order events feed, oldest first");
        return app;
    }

    /// <remarks>
    /// The events the caller may see (a client: its own customer's) over the retention, oldest first, after the event
    /// <c>after</c> names (the previous page's <c>next_cursor</c>, or an event's id), optionally of one type or order.
    /// </remarks>
    public static async Task<Results<Ok<Page<FeedEvent>>, ValidationProblem>> List([AsParameters] EventListQuery query, ClaimsPrincipal user, EventFeed feed,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (filter, page) = query.Validate(errors);
        return errors.IsEmpty ? TypedResults.Ok(await feed.ListAsync(filter, page, CustomerScope.Of(user), cancellationToken)) : errors.ToProblem();
    }
}
