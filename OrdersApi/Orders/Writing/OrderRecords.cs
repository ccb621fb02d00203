using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>Writing a new order: its prices, and its rows in one round trip of its transaction.</summary>
public static class OrderRecords
{
    private const string InsertOrder = """
        INSERT INTO orders (customer_id, status, total_cents, created_at, confirmed_at, last_sequence)
        VALUES (@customerId, @status, @total, @createdAt, @confirmedAt, @sequence)
        """;

    private const string InsertItem = """
        INSERT INTO order_items (order_id, product_id, sku, name, qty, unit_price_cents, subtotal_cents)
        VALUES (LAST_INSERT_ID(), @productId, @sku, @name, @qty, @unitPrice, @subtotal)
        """;

    /// <summary>The lines priced at the products' current prices, or null when the total does not fit in 64-bit cents.</summary>
    public static (IReadOnlyList<OrderItem> Items, long Total)? Price(IReadOnlyList<OrderLine> lines, IReadOnlyDictionary<long, ProductSnapshot> products)
    {
        try
        {
            return OrderRules.Price(lines, products);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    public static ValidationProblem TotalTooLarge()
    {
        var errors = new ValidationErrors();
        errors.Add("items", $"The order's total exceeds {long.MaxValue:N0} cents.");
        return errors.ToProblem();
    }

    /// <summary>
    /// Inserts the order and its lines in one round trip and returns the new id (order_items has no AUTO_INCREMENT, so
    /// LAST_INSERT_ID() is still the order's after its lines).
    /// </summary>
    public static async Task<long> InsertAsync(MySqlBatch batch, Order order, CancellationToken cancellationToken)
    {
        batch.Add(InsertOrder, ("@customerId", order.CustomerId), ("@status", order.Status), ("@total", order.TotalCents),
            ("@createdAt", order.CreatedAt), ("@confirmedAt", order.ConfirmedAt), ("@sequence", order.Sequence));
        foreach (var item in order.Items)
        {
            batch.Add(InsertItem, ("@productId", item.ProductId), ("@sku", item.Sku), ("@name", item.Name), ("@qty", item.Qty),
                ("@unitPrice", item.UnitPriceCents), ("@subtotal", item.SubtotalCents));
        }
        return Convert.ToInt64(await batch.Add("SELECT LAST_INSERT_ID()").ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
