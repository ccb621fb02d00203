using System.Net;
using System.Text;
using MySqlConnector;

namespace Challenge.Bench;

/// <summary>The clients of the stack under test.</summary>
public sealed class BenchTarget(HttpClient customers, HttpClient orders, HttpClient orchestrator, MySqlDataSource customersDb, MySqlDataSource ordersDb)
{
    public HttpClient Customers { get; } = customers;
    public HttpClient Orders { get; } = orders;
    public HttpClient Orchestrator { get; } = orchestrator;
    public MySqlDataSource CustomersDb { get; } = customersDb;
    public MySqlDataSource OrdersDb { get; } = ordersDb;
}

/// <summary>One request of each scenario.</summary>
public sealed class Scenarios(BenchTarget target, BenchData data)
{
    private long sequence;

    public Task<Outcome> OrchestratedHotAsync(int client, CancellationToken cancellationToken) =>
        OrchestrateAsync(data.OrchestratedCustomer, data.OrchestratedProduct, cancellationToken);

    public Task<Outcome> OrchestratedSpreadAsync(int client, CancellationToken cancellationToken) =>
        OrchestrateAsync(data.SpreadCustomer, data.SpreadProducts[Random.Shared.Next(data.SpreadProducts.Length)], cancellationToken);

    public async Task<Outcome> OrdersHotAsync(int client, CancellationToken cancellationToken)
    {
        using var response = await target.Orders.PostAsync("/orders", Json(
            $$"""{"customer_id":{{data.OrdersCustomer}},"items":[{"product_id":{{data.OrdersProduct}},"qty":1}]}"""), cancellationToken);
        return Outcome(response, HttpStatusCode.Created);
    }

    /// <summary>Reads by id and list pages; the first page and a page near the end of the keyset are told apart.</summary>
    public async Task<Outcome> ReadMixAsync(int client, CancellationToken cancellationToken)
    {
        var (path, tag) = Random.Shared.Next(4) switch
        {
            0 => ($"/customers/{Random.Shared.NextInt64(data.MinCustomerId, data.MaxCustomerId + 1)}", "customer-by-id"),
            1 => ($"/products/{Random.Shared.NextInt64(data.MinProductId, data.MaxProductId + 1)}", "product-by-id"),
            2 => ("/customers?limit=20", "first-page"),
            _ => ($"/customers?limit=20&cursor={data.MaxCustomerId - 25}", "deep-page"),
        };
        var service = path.StartsWith("/products", StringComparison.Ordinal) ? target.Orders : target.Customers;
        using var response = await service.GetAsync(path, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new Outcome(response.StatusCode == HttpStatusCode.OK, (int)response.StatusCode, tag);
    }

    /// <summary>
    /// The physical limit: an order's transaction shape issued straight at the server, no HTTP: the conditional
    /// stock decrement, the order and its line, the commit.
    /// </summary>
    public async Task<Outcome> DatabaseLimitAsync(int client, CancellationToken cancellationToken)
    {
        await using var connection = await target.OrdersDb.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var take = new MySqlCommand("UPDATE products SET stock = stock - 1 WHERE id = @id AND stock >= 1", connection, transaction);
        take.Parameters.AddWithValue("@id", data.DbProduct);
        if (await take.ExecuteNonQueryAsync(cancellationToken) != 1)
        {
            return new Outcome(false, 409);
        }
        await using var insert = new MySqlCommand("""
            INSERT INTO orders (customer_id, status, total_cents, created_at) VALUES (@customer, 'CREATED', 1000, UTC_TIMESTAMP(3));
            INSERT INTO order_items (order_id, product_id, sku, name, qty, unit_price_cents, subtotal_cents)
            VALUES (LAST_INSERT_ID(), @id, 'BENCH', 'Bench', 1, 1000, 1000);
            """, connection, transaction);
        insert.Parameters.AddWithValue("@customer", data.DbCustomer);
        insert.Parameters.AddWithValue("@id", data.DbProduct);
        await insert.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new Outcome(true, 201);
    }

    private async Task<Outcome> OrchestrateAsync(long customer, long product, CancellationToken cancellationToken)
    {
        var key = $"bench-{data.Run}-{Interlocked.Increment(ref sequence)}";
        using var response = await target.Orchestrator.PostAsync("/orchestrator/create-and-confirm-order", Json(
            $$"""{"customer_id":{{customer}},"items":[{"product_id":{{product}},"qty":1}],"idempotency_key":"{{key}}"}"""), cancellationToken);
        return Outcome(response, HttpStatusCode.Created);
    }

    private static Outcome Outcome(HttpResponseMessage response, HttpStatusCode expected) =>
        new(response.StatusCode == expected, (int)response.StatusCode);

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}

/// <summary>A fast wrong answer is not a result: what every run checks before it reports anything.</summary>
public static class CorrectnessChecks
{
    /// <summary>The problems found; empty when stock is conserved, every success made exactly one order, and no 5xx.</summary>
    public static async Task<List<string>> RunAsync(MySqlDataSource orders, BenchData data, IReadOnlyList<RunResult> runs,
        IReadOnlyDictionary<long, (long Successes, bool Confirmed)> expectedOrders)
    {
        var problems = new List<string>();
        foreach (var run in runs.Where(r => r.ServerErrors > 0))
        {
            problems.Add($"{run.Name}: {run.ServerErrors} answers were 5xx");
        }

        await using var connection = await orders.OpenConnectionAsync();
        var ids = string.Join(',', data.InitialStock.Keys);
        await using (var conservation = new MySqlCommand($"""
            SELECT p.id, p.stock,
                   COALESCE((SELECT SUM(i.qty) FROM order_items i JOIN orders o ON o.id = i.order_id
                             WHERE i.product_id = p.id AND o.status IN ('CREATED', 'CONFIRMED')), 0)
            FROM products p WHERE p.id IN ({ids})
            """, connection))
        await using (var reader = await conservation.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var (id, stock, held) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
                if (stock < 0 || stock + held != data.InitialStock[id])
                {
                    problems.Add($"product {id}: initial {data.InitialStock[id]} != stock {stock} + held {held}");
                }
            }
        }

        foreach (var (customer, (successes, confirmed)) in expectedOrders)
        {
            await using var count = new MySqlCommand(
                "SELECT COUNT(*), COALESCE(SUM(status = 'CONFIRMED'), 0) FROM orders WHERE customer_id = @customer", connection);
            count.Parameters.AddWithValue("@customer", customer);
            await using var reader = await count.ExecuteReaderAsync();
            await reader.ReadAsync();
            var (orderCount, confirmedCount) = (reader.GetInt64(0), reader.GetInt64(1));
            if (orderCount != successes || (confirmed && confirmedCount != successes))
            {
                problems.Add($"customer {customer}: {successes} successful requests but {orderCount} orders ({confirmedCount} confirmed)");
            }
        }
        return problems;
    }
}
