using Challenge.ApiTests.Infrastructure;
using Challenge.DbInit;
using Challenge.StackHarness;
using Challenge.TestSupport;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using MySqlConnector;

namespace Challenge.ApiTests.Migrations;

/// <summary>
/// The schema is versioned migrations, applied by the migrator (db-init). A database the re-runnable scripts made
/// before them is taken over as it is, its data kept; running the migrator again changes nothing.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class MigrationTests(ServicesFixture fixture)
{
    [Fact]
    public async Task ADatabaseTheOldScriptsMadeIsUpgradedWithoutLossAndOnlyOnce()
    {
        var suffix = Unique.Token();
        var names = new Dictionary<string, string> { ["customersdb"] = $"legacy_customers_{suffix}", ["ordersdb"] = $"legacy_orders_{suffix}" };
        var server = new MySqlConnectionStringBuilder(await fixture.ConnectionStringAsync(RunningStack.OrdersDb)) { Database = "", AllowUserVariables = true };
        const string legacyEvent = """{"type":"order.created","timestamp":"2026-11-30T08:00:00.000Z","data":{"id":5,"customer_id":2,"status":"CREATED"}}""";
        string Of(string set) => new MySqlConnectionStringBuilder(server.ConnectionString) { Database = names[set], AllowUserVariables = false }.ConnectionString;
        try
        {
            await using (var connection = new MySqlConnection(server.ConnectionString))
            {
                foreach (var (script, set) in new[] { ("01-customersdb.sql", "customersdb"), ("02-ordersdb.sql", "ordersdb") })
                {
                    var sql = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Migrations", "Legacy", script));
                    await connection.ExecuteAsync(sql.Replace($"EXISTS {set} ", $"EXISTS {names[set]} ", StringComparison.Ordinal)
                        .Replace($"USE {set};", $"USE {names[set]};", StringComparison.Ordinal));
                }
                // What the version before migrations wrote: a customer, a product, an order with its event and key, a subscription.
                await connection.ExecuteAsync($"""
                    INSERT INTO {names["customersdb"]}.customers (id, name, email, phone, created_at, updated_at, version)
                    VALUES (2, 'Globex', 'buyers@globex.example', NULL, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), 3);
                    INSERT INTO {names["ordersdb"]}.products (id, sku, name, price_cents, stock, created_at, updated_at, version)
                    VALUES (3, 'WIDGET-1', 'Widget', 1200, 7, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3), 2);
                    INSERT INTO {names["ordersdb"]}.orders (id, customer_id, status, total_cents, created_at) VALUES (5, 2, 'CREATED', 2400, UTC_TIMESTAMP(3));
                    INSERT INTO {names["ordersdb"]}.order_items VALUES (5, 3, 'WIDGET-1', 'Widget', 2, 1200, 2400);
                    INSERT INTO {names["ordersdb"]}.order_events (order_id, customer_id, type, payload, occurred_at)
                    VALUES (5, 2, 'order.created', '{legacyEvent}', UTC_TIMESTAMP(3)), (5, 2, 'order.canceled', '{legacyEvent}', UTC_TIMESTAMP(3));
                    INSERT INTO {names["ordersdb"]}.idempotency_keys VALUES ('create', 'k', REPEAT('a', 32), 201, '[]', UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) + INTERVAL 1 DAY);
                    INSERT INTO {names["ordersdb"]}.webhook_subscriptions (url, events, customer_id, secret, created_at)
                    VALUES ('https://hooks.globex.example/orders', 'order.created', 2, 'whsec_legacy', UTC_TIMESTAMP(3));
                    """);
            }

            foreach (var set in Migrator.Sets)
            {
                Migrator.Migrate(set, Of(set), NullLogger.Instance);
            }
            var applied = await AppliedAsync(Of("ordersdb"));
            foreach (var set in Migrator.Sets)
            {
                Migrator.Migrate(set, Of(set), NullLogger.Instance);
            }

            Assert.Equal(applied, await AppliedAsync(Of("ordersdb")));
            await using var customers = new MySqlConnection(Of("customersdb"));
            await using var orders = new MySqlConnection(Of("ordersdb"));
            Assert.Equal(("Globex", 3L, (int?)null), await customers.QuerySingleAsync<(string, long, int?)>(
                "SELECT name, version, limit_open_orders FROM customers WHERE id = 2"));
            Assert.Equal(2, await customers.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM customers"));
            Assert.Equal((7L, 2L), await orders.QuerySingleAsync<(long, long)>("SELECT stock, version FROM products WHERE id = 3"));
            Assert.Equal(("CREATED", 2L), await orders.QuerySingleAsync<(string, long)>(
                "SELECT o.status, i.qty FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.id = 5"));
            // The events written before are numbered in their order's sequence, in their column and in their bodies.
            Assert.Equal([1, 2], (await orders.QueryAsync<int>("SELECT sequence FROM order_events WHERE order_id = 5 ORDER BY id")).ToList());
            Assert.Equal(2, await orders.ExecuteScalarAsync<int>("SELECT last_sequence FROM orders WHERE id = 5"));
            var bodies = (await orders.QueryAsync<string>("SELECT payload FROM order_events WHERE order_id = 5 ORDER BY id")).ToList();
            Assert.Equal([1, 2], bodies.Select(body => System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("sequence").GetInt32()));
            Assert.Equal(1, await orders.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM idempotency_keys"));
            Assert.Equal((2L, 0), await orders.QuerySingleAsync<(long, int)>("SELECT scope_id, failures FROM webhook_subscriptions"));
        }
        finally
        {
            await using var connection = new MySqlConnection(server.ConnectionString);
            foreach (var name in names.Values)
            {
                await connection.ExecuteAsync($"DROP DATABASE IF EXISTS {name}");
            }
        }
    }

    /// <summary>The migrations recorded as applied to a database, in order.</summary>
    private static async Task<List<string>> AppliedAsync(string connectionString)
    {
        await using var connection = new MySqlConnection(connectionString);
        return (await connection.QueryAsync<string>("SELECT CONCAT(version, ':', success) FROM changelog WHERE type = 0 ORDER BY id")).AsList();
    }
}
