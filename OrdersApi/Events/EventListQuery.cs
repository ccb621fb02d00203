using Challenge.Webhooks.Events;
using Microsoft.AspNetCore.Mvc;

namespace Challenge.OrdersApi.Events;

/// <summary>
/// The query of <c>GET /events</c>: after which event (<c>after</c>: an event's id, <c>evt_42</c> or <c>42</c>, as the
/// previous page's <c>next_cursor</c>), of which type, of which order, and how many (1 to 100, 10 when not given).
/// </summary>
public sealed record EventListQuery(
    [FromQuery(Name = "after")] string? After = null,
    [FromQuery(Name = "type")] string? Type = null,
    [FromQuery(Name = "order_id")] long? OrderId = null,
    [FromQuery(Name = "limit")] int Limit = PageRequest.DefaultLimit)
{
    public (FeedQuery Filter, PageRequest Page) Validate(ValidationErrors errors)
    {
        var page = new PageQuery(Limit).Validate(errors);
        long after = 0;
        if (After is not null && !EventIds.TryParse(After, out after))
        {
            errors.Add("after", "after must be an event's id (evt_42, or 42): the next_cursor of the previous page.");
        }
        if (Type is not null && !OrderEventTypes.All.Contains(Type))
        {
            errors.Add("type", $"type must be one of {string.Join(", ", OrderEventTypes.All)}.");
        }
        if (OrderId is < 1)
        {
            errors.Add("order_id", "order_id must be a positive order id.");
        }
        return (new(after, Type, OrderId), page);
    }
}
