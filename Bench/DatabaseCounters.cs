using MySqlConnector;

namespace Challenge.Bench;

/// <summary>The server's own counters, read around a run: what one request costs the database, in its terms.</summary>
public static class DatabaseCounters
{
    private static readonly string[] names =
        ["Questions", "Com_admin_commands", "Com_rollback", "Innodb_row_lock_waits", "Innodb_row_lock_time", "Innodb_deadlocks"];

    /// <summary>
    /// Counts InnoDB's committed read-write transactions, autocommit writes included (the server's Com_commit
    /// counts COMMIT statements only, so a write committed by autocommit would not show).
    /// </summary>
    public static async Task EnableAsync(MySqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = new MySqlCommand("SET GLOBAL innodb_monitor_enable = 'trx_rw_commits'", connection);
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<Dictionary<string, long>> ReadAsync(MySqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = new MySqlCommand($"""
            SHOW GLOBAL STATUS WHERE Variable_name IN ({string.Join(',', names.Select(n => $"'{n}'"))});
            SELECT 'trx_rw_commits', `COUNT` FROM information_schema.INNODB_METRICS WHERE NAME = 'trx_rw_commits';
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = names.Append("trx_rw_commits").ToDictionary(n => n, _ => 0L, StringComparer.OrdinalIgnoreCase);
        do
        {
            while (await reader.ReadAsync())
            {
                values[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture);
            }
        }
        while (await reader.NextResultAsync());
        return values;
    }

    /// <summary>
    /// Each counter's growth over a run, per request: statements (the driver's resets and pings, which the server
    /// counts as questions too, apart), commits, rollbacks, lock waits, deadlocks.
    /// </summary>
    public static Dictionary<string, double> PerRequest(Dictionary<string, long> before, Dictionary<string, long> after, long requests)
    {
        double Per(string name) => (after[name] - before[name]) / (double)Math.Max(1, requests);
        return new()
        {
            ["statements"] = Per("Questions") - Per("Com_admin_commands"),
            ["driver_resets"] = Per("Com_admin_commands"),
            ["commits"] = Per("trx_rw_commits"),
            ["rollbacks"] = Per("Com_rollback"),
            ["row_lock_waits"] = Per("Innodb_row_lock_waits"),
            ["row_lock_time_ms"] = Per("Innodb_row_lock_time"),
            ["deadlocks"] = Per("Innodb_deadlocks"),
        };
    }
}
