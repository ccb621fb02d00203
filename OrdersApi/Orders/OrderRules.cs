namespace Challenge.OrdersApi.Orders;

/// <summary>The pure rules of an order: prices and totals, and when a confirmed order may still be cancelled.</summary>
public static class OrderRules
{
    /// <summary>
    /// Prices each line at the product's current price (the snapshot the order keeps). Totals are checked 64-bit
    /// sums: an order too large to count in cents fails rather than wraps around.
    /// </summary>
    public static (IReadOnlyList<OrderItem> Items, long TotalCents) Price(
        IReadOnlyList<OrderLine> lines, IReadOnlyDictionary<long, ProductSnapshot> products)
    {
        var items = new List<OrderItem>(lines.Count);
        long total = 0;
        foreach (var line in lines)
        {
            var product = products[line.ProductId];
            var subtotal = checked(line.Qty * product.PriceCents);
            total = checked(total + subtotal);
            items.Add(new OrderItem(product.Id, product.Sku, product.Name, line.Qty, product.PriceCents, subtotal));
        }
        return (items, total);
    }

    /// <summary>The earliest confirmation time that may still be cancelled at <paramref name="now"/>.</summary>
    public static DateTime CancellableSince(DateTime now, TimeSpan window) => now - window;

}
