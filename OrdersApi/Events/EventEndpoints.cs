using System.Globalization;
using System.Security.Claims;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Limits;
using Challenge.ServiceDefaults.Paging;
using Challenge.Webhooks.Events;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

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
            .MapGet("/", List);
        return app;
    }

    /// <summary>
    /// The events the caller may see (a client: its own customer's) over the retention, oldest first, after the event
    /// <c>after</c> names (the previous page's <c>next_cursor</c>, or an event's id), optionally of one type or order.
    /// </summary>
    public static async Task<Results<Ok<Page<FeedEvent>>, ValidationProblem>> List(string? after, string? type, [FromQuery(Name = "order_id")] string? orderId,
        string? limit, ClaimsPrincipal user, EventFeed feed, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = PageRequest.Parse(limit, cursor: null, errors);
        long afterId = 0;
        if (after is not null && !EventIds.TryParse(after, out afterId))
        {
            errors.Add("after", "after must be an event's id (evt_42, or 42): the next_cursor of the previous page.");
        }
        if (type is not null && !OrderEventTypes.All.Contains(type))
        {
            errors.Add("type", $"type must be one of {string.Join(", ", OrderEventTypes.All)}.");
        }
        long? order = null;
        if (orderId is not null)
        {
            if (long.TryParse(orderId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0)
            {
                order = id;
            }
            else
            {
                errors.Add("order_id", "order_id must be a positive order id.");
            }
        }
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        return TypedResults.Ok(await feed.ListAsync(new FeedQuery(afterId, type, order), page, CustomerScope.Of(user), cancellationToken));
    }
}
