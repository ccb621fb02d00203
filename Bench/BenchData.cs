using System.Globalization;
using System.Text;
using MySqlConnector;

namespace Challenge.Bench;

/// <summary>
/// The data the scenarios run on, written straight into the databases (100,000 customers and products take seconds
/// that way): one customer and one hot product per writing scenario, so each scenario's orders can be counted
/// apart, and 1,000 products to spread orders over.
/// </summary>
public sealed record BenchData(
    string Run,
    long MinCustomerId, long MaxCustomerId, long MinProductId, long MaxProductId,
    long OrchestratedCustomer, long SpreadCustomer, long OrdersCustomer, long DbCustomer,
    long OrchestratedProduct, long OrdersProduct, long DbProduct, long[] SpreadProducts,
    IReadOnlyDictionary<long, long> InitialStock)
{
    public const int Rows = 100_000;
    private const int Batch = 2_000;
    private const long HotStock = 1_000_000_000;
    private const long SpreadStock = 1_000_000;

    public static async Task<BenchData> SeedAsync(MySqlDataSource customers, MySqlDataSource orders)
    {
        var run = DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        await InsertAsync(customers, "INSERT INTO customers (name, email, phone, created_at, updated_at) VALUES ",
            i => $"('Bench customer {i}', 'bench-{run}-{i}@bench.example', NULL, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");
        await InsertAsync(orders, "INSERT INTO products (sku, name, price_cents, stock, created_at, updated_at) VALUES ",
            i => $"('BENCH-{run}-{i}', 'Bench product {i}', {1_000 + i % 9_000}, {SpreadStock}, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))");

        var (minCustomer, maxCustomer) = await RangeAsync(customers, $"SELECT MIN(id), MAX(id) FROM customers WHERE email LIKE 'bench-{run}-%'");
        var (minProduct, maxProduct) = await RangeAsync(orders, $"SELECT MIN(id), MAX(id) FROM products WHERE sku LIKE 'BENCH-{run}-%'");
        long[] hot = [minProduct, minProduct + 1, minProduct + 2];
        var spread = Enumerable.Range(3, 1_000).Select(i => minProduct + i).ToArray();
        await using (var connection = await orders.OpenConnectionAsync())
        {
            await using var command = new MySqlCommand($"UPDATE products SET stock = {HotStock} WHERE id IN ({string.Join(',', hot)})", connection);
            await command.ExecuteNonQueryAsync();
        }
        var initial = hot.ToDictionary(id => id, _ => HotStock);
        foreach (var id in spread)
        {
            initial[id] = SpreadStock;
        }
        return new(run, minCustomer, maxCustomer, minProduct, maxProduct,
            minCustomer, minCustomer + 1, minCustomer + 2, minCustomer + 3, hot[0], hot[1], hot[2], spread, initial);
    }

    private static async Task InsertAsync(MySqlDataSource db, string insert, Func<int, string> row)
    {
        await using var connection = await db.OpenConnectionAsync();
        for (var start = 0; start < Rows; start += Batch)
        {
            var sql = new StringBuilder(insert);
            for (var i = start; i < start + Batch; i++)
            {
                sql.Append(i == start ? "" : ",").Append(row(i));
            }
            await using var command = new MySqlCommand(sql.ToString(), connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    private static async Task<(long Min, long Max)> RangeAsync(MySqlDataSource db, string sql)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = new MySqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
