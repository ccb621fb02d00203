using Microsoft.AspNetCore.Mvc;

namespace Challenge.OrdersApi.Overview;

/// <param name="LowStock">A product counts as low on stock at or below this many units (0 to 1,000,000; 5 when not given).</param>
public sealed record OverviewQuery([property: FromQuery(Name = "low_stock")] long? LowStock)
{
    public const long DefaultLowStock = 5;
    public const long MaxLowStock = 1_000_000;

    public long Validate(ValidationErrors errors)
    {
        if (LowStock is < 0 or > MaxLowStock)
        {
            errors.Add("low_stock", $"low_stock must be between 0 and {MaxLowStock}.");
        }
        return LowStock ?? DefaultLowStock;
    }
}
