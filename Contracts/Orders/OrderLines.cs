using Challenge.Contracts.Validation;

namespace Challenge.Contracts.Orders;

/// <summary>
/// What an order's lines may be, judged the same way by the Orders API and by the orchestrator (which refuses a body
/// the Orders API would refuse, before any call): 1 to 100 lines, each a positive product and a quantity of 1 to
/// 1,000,000, the lines of one product merged into one, and the limit holding for the merged line.
/// </summary>
public static class OrderLines
{
    public const int MaxLines = 100;
    public const long MaxQty = 1_000_000;

    /// <summary>An order's body, wherever it is sent: a positive customer id, and its lines as <see cref="Validate(IReadOnlyList{NewOrderLine?}?, ValidationErrors)"/> judges them.</summary>
    public static IReadOnlyList<OrderLine> Validate(long? customerId, IReadOnlyList<NewOrderLine?>? items, ValidationErrors errors)
    {
        if (customerId is not > 0)
        {
            errors.Add("customer_id", "customer_id is required: a positive customer id.");
        }
        return Validate(items, errors);
    }

    /// <summary>
    /// Checks every line and returns them merged, one per product, in ascending product id: the order in which rows
    /// are locked, so that two orders never deadlock. Empty when anything is wrong (each error is in <paramref name="errors"/>).
    /// </summary>
    public static IReadOnlyList<OrderLine> Validate(IReadOnlyList<NewOrderLine?>? items, ValidationErrors errors)
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
