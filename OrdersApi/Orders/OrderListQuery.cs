using Microsoft.AspNetCore.Mvc;

namespace Challenge.OrdersApi.Orders;

/// <summary>
/// The filters of <c>GET /orders</c>: a status, a customer, and a creation time from (inclusive) and to (exclusive); and
/// the order of the list: <c>sort=id</c> (ascending, the default) or <c>sort=-id</c> (the newest first).
/// </summary>
public sealed record OrderListQuery(
    [FromQuery(Name = "status")] string? Status = null,
    [FromQuery(Name = "customer_id")] long? CustomerId = null,
    [FromQuery(Name = "from")] DateTimeOffset? From = null,
    [FromQuery(Name = "to")] DateTimeOffset? To = null,
    [FromQuery(Name = "sort")] string? Sort = null)
{
    public OrderFilter Validate(ValidationErrors errors)
    {
        var status = Status is null ? null : OrderStatus.All.FirstOrDefault(s => s.Equals(Status, StringComparison.OrdinalIgnoreCase));
        if (Status is not null && status is null)
        {
            errors.Add("status", $"status must be one of {string.Join(", ", OrderStatus.All)}.");
        }
        if (CustomerId is < 1)
        {
            errors.Add("customer_id", "customer_id must be a positive id.");
        }
        if (From >= To)
        {
            errors.Add("to", "to must be later than from.");
        }
        if (Sort is not (null or "id" or "-id"))
        {
            errors.Add("sort", "sort must be id (ascending, the default) or -id (the newest first).");
        }
        return new(status, CustomerId, From?.UtcDateTime, To?.UtcDateTime, NewestFirst: Sort == "-id");
    }
}
