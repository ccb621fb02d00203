using MySqlConnector;

namespace Challenge.Data;

/// <summary>
/// The service's MySQL database: one pooled <see cref="MySqlDataSource"/> at a time, built from configuration. Once the
/// database was found gone, its pooled connections lead to a server that no longer knows them, and MySqlConnector
/// clears a data source's pool only by disposing it: the data source is then replaced, so that the next request opens
/// a fresh connection rather than failing on a dead one (<c>MySqlConnection.ClearAllPools</c> reaches only the pools of
/// connection strings, not a data source's).
/// </summary>
public sealed class Database(Func<MySqlDataSource> build, TimeProvider time) : IAsyncDisposable
{
    /// <summary>Every request of an outage reports it; the pool is replaced once in this time at most.</summary>
    private static readonly TimeSpan replacedAtMostEvery = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private MySqlDataSource current = build();
    private long? replacedAt;

    public ValueTask<MySqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        Volatile.Read(ref current).OpenConnectionAsync(cancellationToken);

    public MySqlConnection OpenConnection() => Volatile.Read(ref current).OpenConnection();

    /// <summary>Drops every pooled connection, idle or in use (those are closed when given back), after the database was found gone.</summary>
    public void ForgetPooledConnections()
    {
        MySqlDataSource replaced;
        lock (gate)
        {
            if (replacedAt is { } last && time.GetElapsedTime(last) < replacedAtMostEvery)
            {
                return;
            }
            replaced = current;
            Volatile.Write(ref current, build());
            replacedAt = time.GetTimestamp();
        }
        _ = replaced.DisposeAsync().AsTask();
    }

    public ValueTask DisposeAsync() => Volatile.Read(ref current).DisposeAsync();
}
