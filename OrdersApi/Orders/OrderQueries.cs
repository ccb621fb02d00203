using System.Data;
using Challenge.OrdersApi.Data;
using Dapper;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders;

/// <summary>Reading orders with their lines.</summary>
public static class OrderQueries
{
    public const string SelectOrders = """
        SELECT id, customer_id AS CustomerId, status, total_cents AS TotalCents,
               created_at AS CreatedAt, confirmed_at AS ConfirmedAt, canceled_at AS CanceledAt
        FROM orders
        """;

    public const string SelectItems = """
        SELECT order_id AS OrderId, product_id AS ProductId, sku, name, qty,
               unit_price_cents AS UnitPriceCents, subtotal_cents AS SubtotalCents
        FROM order_items
        """;

    /// <summary>One round trip for an order and its lines: <c>{SelectOrders} WHERE id = @id; {SelectItems} WHERE order_id = @id</c>.</summary>
    public const string SelectOrderWithItems = $"""
        {SelectOrders} WHERE id = @id;
        {SelectItems} WHERE order_id = @id ORDER BY product_id;
        """;

    /// <summary>Adds <see cref="SelectOrderWithItems"/> to a batch of a transaction, read by <see cref="ReadOrderAsync(System.Data.Common.DbDataReader, CancellationToken)"/>.</summary>
    public static MySqlBatch AddSelectOrderWithItems(MySqlBatch batch, long id) =>
        batch.Add($"{SelectOrders} WHERE id = @id", ("@id", id)).Add($"{SelectItems} WHERE order_id = @id ORDER BY product_id", ("@id", id));

    /// <summary>Reads an order and its lines from the reader's current result set and the next one.</summary>
    public static async Task<Order?> ReadOrderAsync(System.Data.Common.DbDataReader reader, CancellationToken cancellationToken)
    {
        var row = reader.Parse<OrderRow>().SingleOrDefault();
        await reader.NextResultAsync(cancellationToken);
        var items = reader.Parse<ItemRow>().Select(i => i.ToItem()).ToList();
        return row?.ToOrder(items);
    }

    public static async Task<Order?> FindAsync(IDbConnection connection, long id, IDbTransaction? transaction, CancellationToken cancellationToken)
    {
        using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            SelectOrderWithItems, new { id }, transaction, cancellationToken: cancellationToken));
        return await ReadOrderAsync(results);
    }

    /// <summary>Reads the two result sets of <see cref="SelectOrderWithItems"/>.</summary>
    public static async Task<Order?> ReadOrderAsync(SqlMapper.GridReader results)
    {
        var row = await results.ReadSingleOrDefaultAsync<OrderRow>();
        var items = await results.ReadAsync<ItemRow>();
        return row?.ToOrder(items.Select(i => i.ToItem()).ToList());
    }

    public static async Task<IReadOnlyList<Order>> WithItemsAsync(IDbConnection connection, IReadOnlyList<OrderRow> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var items = (await connection.QueryAsync<ItemRow>(new CommandDefinition(
                $"{SelectItems} WHERE order_id IN @ids ORDER BY order_id, product_id",
                new { ids = rows.Select(r => r.Id).ToArray() }, cancellationToken: cancellationToken)))
            .ToLookup(i => i.OrderId, i => i.ToItem());
        return rows.Select(r => r.ToOrder(items[r.Id].ToList())).ToList();
    }

    public sealed record OrderRow(long Id, long CustomerId, string Status, long TotalCents, DateTime CreatedAt, DateTime? ConfirmedAt, DateTime? CanceledAt)
    {
        public Order ToOrder(IReadOnlyList<OrderItem> items) =>
            new(Id, CustomerId, Status, TotalCents, items, CreatedAt, ConfirmedAt, CanceledAt);
    }

    public sealed record ItemRow(long OrderId, long ProductId, string Sku, string Name, long Qty, long UnitPriceCents, long SubtotalCents)
    {
        public OrderItem ToItem() => new(ProductId, Sku, Name, Qty, UnitPriceCents, SubtotalCents);
    }
}
