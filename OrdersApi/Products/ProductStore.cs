using Dapper;
using MySqlConnector;

namespace Challenge.OrdersApi.Products;

/// <summary>The products' SQL. Orders move the stock too, in their own transactions (<see cref="StockReservation"/>).</summary>
public sealed class ProductStore(Database db, TimeProvider time)
{
    /// <summary>The longest text a list may be searched for: a name's.</summary>
    public const int MaxSearchLength = ProductRules.MaxNameLength;

    private const string Select = """
        SELECT id, sku, name, price_cents AS PriceCents, stock, created_at AS CreatedAt, updated_at AS UpdatedAt, version
        FROM products
        """;

    /// <summary>The new product, or null when another one already uses its sku.</summary>
    public async Task<Product?> CreateAsync(string sku, string name, long priceCents, long stock, CancellationToken cancellationToken)
    {
        const string sql = """
            INSERT INTO products (sku, name, price_cents, stock, created_at, updated_at)
            VALUES (@sku, @name, @priceCents, @stock, @now, @now)
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var id = await connection.InsertOrConflictAsync(sql, new { sku, name, priceCents, stock, now }, cancellationToken);
        return id is { } created ? new Product(created, sku, name, priceCents, stock, now, now, Version: 1) : null;
    }

    public async Task<Product?> FindAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Product>(new CommandDefinition($"{Select} WHERE id = @id", new { id },
            cancellationToken: cancellationToken));
    }

    /// <summary>Products by ascending id, those whose name or sku matches <paramref name="pattern"/> when one is given.</summary>
    public Task<Page<Product>> PageAsync(string? pattern, PageRequest page, CancellationToken cancellationToken) =>
        db.PageAsync<Product>(Select, page, product => product.Id, cancellationToken, searchColumns: ["name", "sku"], pattern: pattern);

    /// <summary>
    /// Sets the fields given: <c>stock</c> as the new count, or moves it by <c>stock_delta</c>, guarded by the stock's
    /// bounds and <paramref name="precondition"/> in the statement itself, so that concurrent moves all count and none
    /// takes the stock out of bounds.
    /// </summary>
    public async Task<Changed<Product>> ChangeAsync(long id, string? name, ProductPatch patch, IfMatch precondition, CancellationToken cancellationToken)
    {
        const string sql = $"""
            UPDATE products
            SET name = COALESCE(@name, name),
                price_cents = COALESCE(@priceCents, price_cents),
                stock = COALESCE(@stock, stock + COALESCE(@stockDelta, 0)),
                updated_at = @now,
                version = version + 1
            WHERE id = @id
              AND {IfMatch.Condition}
              AND (@stockDelta IS NULL OR stock + @stockDelta BETWEEN 0 AND @maxStock)
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var batch = new MySqlBatch(connection).Add(sql, [.. precondition.Parameters(), ("@id", id), ("@name", name),
            ("@priceCents", patch.PriceCents), ("@stock", patch.Stock), ("@stockDelta", patch.StockDelta), ("@maxStock", ProductRules.MaxStock),
            ("@now", time.UtcNowMilliseconds())]);
        return await GuardedChange.RunAsync(batch, [Batches.Command($"{Select} WHERE id = @id", ("@id", id))], GuardedChange.SingleRowAsync<Product>,
            cancellationToken);
    }
}
