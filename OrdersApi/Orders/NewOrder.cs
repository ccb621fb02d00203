
namespace Challenge.OrdersApi.Orders;

/// <summary>The body of <c>POST /orders</c>.</summary>
public sealed record NewOrder(long? CustomerId, IReadOnlyList<NewOrderLine?>? Items)
{
    /// <summary>Checks every field and returns the lines to reserve, merged and in ascending product id (<see cref="OrderLines"/>).</summary>
    public IReadOnlyList<OrderLine> Validate(ValidationErrors errors) => OrderLines.Validate(CustomerId, Items, errors);
}
