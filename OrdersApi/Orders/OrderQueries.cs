using System.Data.Common;
using Challenge.OrdersApi.Data;
using Dapper;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders;

/// <summary>Reading orders with their lines: one order (alone, or in a transaction's round trip), or a page of them.</summary>
public static class OrderQueries
{
    public const string SelectOrders = """
        SELECT id, customer_id AS CustomerId, status, total_cents AS TotalCents,
               created_at AS CreatedAt, confirmed_at AS ConfirmedAt, canceled_at AS CanceledAt, last_sequence AS Sequence
        FROM orders
        """;

    private const string SelectItems = """
        SELECT order_id AS OrderId, product_id AS ProductId, sku, name, qty,
               unit_price_cents AS UnitPriceCents, subtotal_cents AS SubtotalCents
        FROM order_items
        """;

    /// <summary>Adds the reading of one order and its lines to <paramref name="batch"/>: two result sets, for <see cref="ReadAsync"/>.</summary>
    public static MySqlBatch AddSelect(MySqlBatch batch, long id) =>
        batch.Add($"{SelectOrders} WHERE id = @id", ("@id", id)).Add($"{SelectItems} WHERE order_id = @id ORDER BY product_id", ("@id", id));

    /// <summary>Reads the order of <see cref="AddSelect"/> from the reader's current result set and its lines from the next; null when there is none.</summary>
    public static async Task<Order?> ReadAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var row = reader.Parse<OrderRow>().SingleOrDefault();
        await reader.NextResultAsync(cancellationToken);
        var items = reader.Parse<ItemRow>().Select(i => i.ToItem()).ToList();
        return row?.ToOrder(items);
    }

    /// <summary>One order and its lines, in one round trip.</summary>
    public static async Task<Order?> FindAsync(MySqlConnection connection, long id, CancellationToken cancellationToken)
    {
        await using var batch = AddSelect(new MySqlBatch(connection), id);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadAsync(reader, cancellationToken);
    }

    /// <summary>The lines of a page of orders, in one more round trip.</summary>
    public static async Task<IReadOnlyList<Order>> WithItemsAsync(MySqlConnection connection, IReadOnlyList<OrderRow> rows, CancellationToken cancellationToken)
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

    public sealed record OrderRow(long Id, long CustomerId, string Status, long TotalCents, DateTime CreatedAt, DateTime? ConfirmedAt, DateTime? CanceledAt,
        int Sequence)
    {
        public Order ToOrder(IReadOnlyList<OrderItem> items) =>
            new(Id, CustomerId, Status, TotalCents, items, CreatedAt, ConfirmedAt, CanceledAt, Sequence);
    }

    public sealed record ItemRow(long OrderId, long ProductId, string Sku, string Name, long Qty, long UnitPriceCents, long SubtotalCents)
    {
        public OrderItem ToItem() => new(ProductId, Sku, Name, Qty, UnitPriceCents, SubtotalCents);
    }
}
