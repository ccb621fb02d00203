using Challenge.ServiceDefaults.Http;

namespace Challenge.OrdersApi.Orders;

/// <summary>The body of <c>POST /orders</c>.</summary>
public sealed record NewOrder(long? CustomerId, IReadOnlyList<NewOrderLine?>? Items)
{
    public const int MaxLines = 100;
    public const long MaxQty = 1_000_000;

    /// <summary>
    /// Checks every field and returns the lines to reserve: one per product (the same product twice is merged),
    /// in ascending product id, the order in which rows are locked so that two orders never deadlock.
    /// </summary>
    public IReadOnlyList<OrderLine> Validate(ValidationErrors errors)
    {
        if (CustomerId is not > 0)
        {
            errors.Add("customer_id", "customer_id is required: a positive customer id.");
        }
        return ValidateLines(Items, errors);
    }

    /// <summary>Checks the lines of an order and merges them (see <see cref="Validate"/>).</summary>
    public static IReadOnlyList<OrderLine> ValidateLines(IReadOnlyList<NewOrderLine?>? items, ValidationErrors errors)
    {
        if (items is not { Count: > 0 and <= MaxLines })
        {
            errors.Add("items", $"items is required: 1 to {MaxLines} lines.");
            return [];
        }
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } line)
            {
                errors.Add($"items[{i}]", "A line must be an object with product_id and qty.");
                continue;
            }
            if (line.ProductId is not > 0)
            {
                errors.Add($"items[{i}].product_id", "product_id is required: a positive product id.");
            }
            if (line.Qty is not (>= 1 and <= MaxQty))
            {
                errors.Add($"items[{i}].qty", $"qty is required: a whole number from 1 to {MaxQty:N0}.");
            }
        }
        if (!errors.IsEmpty)
        {
            return [];
        }
        // The limit is per product: lines that name the same product are merged, and so is the limit's check.
        var merged = Merge(items);
        foreach (var line in merged.Where(l => l.Qty > MaxQty))
        {
            errors.Add("items", $"Product {line.ProductId} is ordered {line.Qty:N0} times across its lines; at most {MaxQty:N0}.");
        }
        return errors.IsEmpty ? merged : [];
    }

    public static IReadOnlyList<OrderLine> Merge(IEnumerable<NewOrderLine?> lines) =>
        lines.GroupBy(line => line!.ProductId!.Value)
            .Select(group => new OrderLine(group.Key, group.Sum(line => line!.Qty!.Value)))
            .OrderBy(line => line.ProductId)
            .ToList();
}

public sealed record NewOrderLine(long? ProductId, long? Qty);
