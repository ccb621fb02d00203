using System.Data.Common;
using Dapper;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders;

/// <summary>
/// Reading orders with their lines: one order (alone, or in a transaction's round trip), a page of them, the abandoned
/// ones. Orders are written in one place only, <see cref="OrderWriter"/>, which reads its changes back through here.
/// </summary>
public sealed class OrderStore(Database db)
{
    private const string SelectOrders = """
        SELECT id, customer_id AS CustomerId, status, total_cents AS TotalCents,
               created_at AS CreatedAt, confirmed_at AS ConfirmedAt, canceled_at AS CanceledAt, last_sequence AS Sequence
        FROM orders
        """;

    private const string SelectItems = """
        SELECT order_id AS OrderId, product_id AS ProductId, sku, name, qty,
               unit_price_cents AS UnitPriceCents, subtotal_cents AS SubtotalCents
        FROM order_items
        """;

    /// <summary>The reading of one order and its lines, for a batch: two result sets, for <see cref="ReadAsync"/>.</summary>
    public static MySqlBatchCommand[] Select(long id) =>
        [Batches.Command($"{SelectOrders} WHERE id = @id", ("@id", id)), Batches.Command($"{SelectItems} WHERE order_id = @id ORDER BY product_id", ("@id", id))];

    /// <summary>Reads the order of <see cref="Select"/> from the reader's current result set and its lines from the next; null when there is none.</summary>
    public static async Task<Order?> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var row = reader.Parse<OrderRow>().SingleOrDefault();
        await reader.NextResultAsync(cancellationToken);
        var items = reader.Parse<ItemRow>().Select(i => i.ToItem()).ToList();
        return row?.ToOrder(items);
    }

    /// <summary>One order and its lines, in one round trip; null when there is none the caller may see (<paramref name="scope"/>).</summary>
    public async Task<Order?> FindAsync(long id, CustomerScope scope, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var batch = new MySqlBatch(connection).Add(Select(id));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadAsync(reader, cancellationToken) is { } order && scope.Allows(order.CustomerId) ? order : null;
    }

    /// <summary>
    /// A page of the orders <paramref name="filter"/> selects, by ascending id (past the cursor) or the newest first
    /// (below the cursor; 0 starts at the newest), within the caller's <paramref name="scope"/>, with their lines.
    /// </summary>
    public async Task<Page<Order>> PageAsync(OrderFilter filter, PageRequest page, CustomerScope scope, CancellationToken cancellationToken)
    {
        const string where = $"""
              AND (@Status IS NULL OR status = @Status)
              AND (@CustomerId IS NULL OR customer_id = @CustomerId)
              AND {CustomerScope.SqlFilter}
              AND (@From IS NULL OR created_at >= @From)
              AND (@To IS NULL OR created_at < @To)
            """;
        const string ascending = $"{SelectOrders} WHERE id > @Cursor {where} ORDER BY id LIMIT @Take";
        const string newestFirst = $"{SelectOrders} WHERE (@Cursor = 0 OR id < @Cursor) {where} ORDER BY id DESC LIMIT @Take";
        var sql = filter.NewestFirst ? newestFirst : ascending;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OrderRow>(new CommandDefinition(sql,
            new { page.Cursor, page.Take, filter.Status, filter.CustomerId, tenant = scope.CustomerId, filter.From, filter.To },
            cancellationToken: cancellationToken))).AsList();
        var shown = page.ToPage(rows, r => r.Id);
        if (shown.Data.Count == 0)
        {
            return new([], shown.NextCursor);
        }
        // Their lines, in one more round trip.
        var items = (await connection.QueryAsync<ItemRow>(new CommandDefinition(
                $"{SelectItems} WHERE order_id IN @ids ORDER BY order_id, product_id",
                new { ids = shown.Data.Select(r => r.Id).ToArray() }, cancellationToken: cancellationToken)))
            .ToLookup(i => i.OrderId, i => i.ToItem());
        return shown.Select(r => r.ToOrder(items[r.Id].ToList()));
    }

    /// <summary>Up to <paramref name="limit"/> orders left CREATED since before <paramref name="createdBefore"/>, by id past <paramref name="after"/>.</summary>
    public async Task<IReadOnlyList<long>> AbandonedAsync(DateTime createdBefore, long after, int limit, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT id FROM orders WHERE status = '{OrderStatus.Created}' AND created_at < @createdBefore AND id > @after
            ORDER BY id LIMIT @limit
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<long>(new CommandDefinition(sql, new { createdBefore, after, limit }, cancellationToken: cancellationToken))).AsList();
    }

    private sealed record OrderRow(long Id, long CustomerId, string Status, long TotalCents, DateTime CreatedAt, DateTime? ConfirmedAt, DateTime? CanceledAt,
        int Sequence)
    {
        public Order ToOrder(IReadOnlyList<OrderItem> items) =>
            new(Id, CustomerId, Status, TotalCents, items, CreatedAt, ConfirmedAt, CanceledAt, Sequence);
    }

    private sealed record ItemRow(long OrderId, long ProductId, string Sku, string Name, long Qty, long UnitPriceCents, long SubtotalCents)
    {
        public OrderItem ToItem() => new(ProductId, Sku, Name, Qty, UnitPriceCents, SubtotalCents);
    }
}
