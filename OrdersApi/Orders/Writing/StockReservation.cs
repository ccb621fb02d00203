using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>
/// Takes the stock of every line inside the order's transaction, in its first round trip: a conditional decrement per
/// product (<c>stock &gt;= qty</c>, judged by rows affected, in ascending product id so that concurrent orders lock
/// rows in the same order and cannot deadlock), then the products' prices and what is left.
/// </summary>
public static class StockReservation
{
    // A stock movement is a change of the product: its version (its ETag) moves with it.
    private const string Take = "UPDATE products SET stock = stock - @qty, version = version + 1 WHERE id = @id AND stock >= @qty";

    private const string Restore = "UPDATE products SET stock = stock + @qty, version = version + 1 WHERE id = @id";

    /// <summary>
    /// Adds the reservation to <paramref name="batch"/> and runs it: the products, or the problem that refuses the order
    /// (the caller's transaction must then roll back), which says how much is left only when <paramref name="showsStock"/>.
    /// </summary>
    public static async Task<(IReadOnlyDictionary<long, ProductSnapshot> Products, ProblemHttpResult? Refusal)> ReserveAsync(
        MySqlBatch batch, IReadOnlyList<OrderLine> lines, bool showsStock, CancellationToken cancellationToken)
    {
        for (var i = 0; i < lines.Count - 1; i++)
        {
            // MySqlConnector does not report rows affected per batch command, so each update says it itself...
            batch.Add(Take, ("@qty", lines[i].Qty), ("@id", lines[i].ProductId)).Add("SELECT ROW_COUNT()");
        }
        // ...but the last one's count travels with the products: ROW_COUNT() is still the update's while the
        // SELECT runs. Product ids are numbers from the validated request, so they are listed in the text as they are.
        batch.Add(Take, ("@qty", lines[^1].Qty), ("@id", lines[^1].ProductId));
        batch.Add($"SELECT ROW_COUNT(), id, sku, name, price_cents, stock FROM products WHERE id IN ({string.Join(',', lines.Select(l => l.ProductId))})");

        var refused = new List<OrderLine>();
        var products = new Dictionary<long, ProductSnapshot>(lines.Count);
        long? lastTaken = null;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            for (var i = 0; i < lines.Count - 1; i++)
            {
                await reader.ReadAsync(cancellationToken);
                if (reader.GetInt64(0) == 0)
                {
                    refused.Add(lines[i]);
                }
                await reader.NextResultAsync(cancellationToken);
            }
            while (await reader.ReadAsync(cancellationToken))
            {
                lastTaken = reader.GetInt64(0);
                var product = new ProductSnapshot(reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.GetInt64(5));
                products[product.Id] = product;
            }
        }
        if (lastTaken is not 1)
        {
            refused.Add(lines[^1]);
        }

        if (refused.Count == 0)
        {
            return (products, null);
        }
        if (refused.FirstOrDefault(l => !products.ContainsKey(l.ProductId)) is { ProductId: > 0 } unknown)
        {
            return (products, Problems.NotFound($"Product {unknown.ProductId} does not exist."));
        }
        return (products, showsStock ? InsufficientStock(refused, products) : ShortOf(refused, products));
    }

    /// <summary>Gives back the stock of a cancelled order's lines with the commit, in ascending product id like a reservation.</summary>
    public static void RestoreOnCommit(WriteTransaction transaction, IReadOnlyList<OrderItem> items)
    {
        foreach (var item in items.OrderBy(i => i.ProductId))
        {
            transaction.AddToCommit(Restore, ("@qty", item.Qty), ("@id", item.ProductId));
        }
    }

    /// <summary>A client's refusal: which products are short, and nothing of how many are left.</summary>
    private static ProblemHttpResult ShortOf(List<OrderLine> refused, Dictionary<long, ProductSnapshot> products) => TypedResults.Problem(
        $"Insufficient stock for {string.Join(", ", refused.Select(line => $"product {line.ProductId} ({products[line.ProductId].Sku})"))}; nothing was reserved.",
        statusCode: StatusCodes.Status409Conflict,
        extensions: new Dictionary<string, object?> { ["unavailable"] = refused.Select(line => new { product_id = line.ProductId }).ToList() });

    private static ProblemHttpResult InsufficientStock(List<OrderLine> refused, Dictionary<long, ProductSnapshot> products)
    {
        var first = refused[0];
        var product = products[first.ProductId];
        return TypedResults.Problem(
            $"Insufficient stock for product {product.Id} ({product.Sku}): {first.Qty} requested, {product.Stock} available.",
            statusCode: StatusCodes.Status409Conflict,
            extensions: new Dictionary<string, object?>
            {
                ["unavailable"] = refused.Select(line => new
                {
                    product_id = line.ProductId,
                    requested = line.Qty,
                    available = products[line.ProductId].Stock,
                }).ToList(),
            });
    }
}
