using MySqlConnector;

namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>
/// The round trips of one transaction. Its first batch opens it (<c>START TRANSACTION</c>, no round trip of its
/// own) and claims the key, ahead of the work's statements; its last carries the key's completion, the statements
/// that travel with the commit, and the <c>COMMIT</c>.
/// </summary>
public sealed class WriteTransaction
{
    private readonly IdempotentRequest? key;
    private readonly DateTime now;
    private readonly DateTime keyExpires;
    private readonly List<MySqlBatchCommand> atCommit = [];
    private bool begun;

    internal WriteTransaction(MySqlConnection connection, IdempotentRequest? key, DateTime now, DateTime keyExpires)
    {
        Connection = connection;
        this.key = key;
        this.now = now;
        this.keyExpires = keyExpires;
    }

    public MySqlConnection Connection { get; }

    /// <summary>The next round trip: the work adds its statements and runs it.</summary>
    public MySqlBatch Batch()
    {
        var batch = new MySqlBatch(Connection);
        if (!begun)
        {
            begun = true;
            batch.Add("START TRANSACTION");
            if (key is not null)
            {
                IdempotencyStore.AddClaim(batch, key, now, keyExpires);
            }
        }
        return batch;
    }

    /// <summary>A statement that runs with the commit, if the change commits: no round trip of its own.</summary>
    public void AddToCommit(string sql, params (string Name, object? Value)[] parameters) =>
        atCommit.Add(Batches.Command(sql, parameters));

    internal async Task CommitAsync(JsonTextResult answer, CancellationToken cancellationToken)
    {
        var batch = Batch();
        if (key is not null)
        {
            IdempotencyStore.AddCompletion(batch, key, answer);
        }
        foreach (var command in atCommit)
        {
            batch.BatchCommands.Add(command);
        }
        await batch.Add("COMMIT").ExecuteNonQueryAsync(cancellationToken);
    }
}
