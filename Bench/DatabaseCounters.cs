using MySqlConnector;

namespace Challenge.Bench;

/// <summary>The server's own counters, read around a run: what one request costs the database, in its terms.</summary>
public static class DatabaseCounters
{
    private static readonly string[] names =
        ["Questions", "Com_commit", "Com_rollback", "Innodb_row_lock_waits", "Innodb_row_lock_time", "Innodb_deadlocks"];

    public static async Task<Dictionary<string, long>> ReadAsync(MySqlDataSource db)
    {
        await using var connection = await db.OpenConnectionAsync();
        await using var command = new MySqlCommand(
            $"SHOW GLOBAL STATUS WHERE Variable_name IN ({string.Join(',', names.Select(n => $"'{n}'"))})", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = names.ToDictionary(n => n, _ => 0L, StringComparer.OrdinalIgnoreCase);
        while (await reader.ReadAsync())
        {
            values[reader.GetString(0)] = long.Parse(reader.GetString(1), System.Globalization.CultureInfo.InvariantCulture);
        }
        return values;
    }

    /// <summary>Each counter's growth over a run, per request (statements, commits, lock waits per request).</summary>
    public static Dictionary<string, double> PerRequest(Dictionary<string, long> before, Dictionary<string, long> after, long requests) =>
        names.ToDictionary(n => n.ToLowerInvariant(), n => (after[n] - before[n]) / (double)Math.Max(1, requests));
}
