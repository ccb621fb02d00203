using Microsoft.AspNetCore.Mvc;

namespace Challenge.OrdersApi.Orders;

/// <summary>The filters of <c>GET /orders</c>: a status, a customer, and a creation time from (inclusive) and to (exclusive).</summary>
public sealed record OrderListQuery(
    [FromQuery(Name = "status")] string? Status = null,
    [FromQuery(Name = "customer_id")] long? CustomerId = null,
    [FromQuery(Name = "from")] DateTimeOffset? From = null,
    [FromQuery(Name = "to")] DateTimeOffset? To = null)
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
        return new(status, CustomerId, From?.UtcDateTime, To?.UtcDateTime);
    }
}
