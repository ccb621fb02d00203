using MySqlConnector;

namespace Challenge.OrdersApi.Data;

/// <summary>
/// A transaction begun and ended by statements that travel in the work's own batches: <c>START TRANSACTION</c> at
/// the head of the first, <c>COMMIT</c> at the tail of the last. Opening and committing cost no round trip of their
/// own, and no isolation level is set per transaction (the server's, REPEATABLE READ, is the one wanted).
/// </summary>
public sealed class BatchedTransaction(MySqlConnection connection)
{
    public MySqlConnection Connection { get; } = connection;

    /// <summary>Whether the last batch carried the COMMIT; a transaction left otherwise is rolled back.</summary>
    public bool IsCommitted { get; private set; }

    /// <summary>The first batch: it opens the transaction.</summary>
    public MySqlBatch Begin() => new MySqlBatch(Connection).Add("START TRANSACTION");

    public MySqlBatch Batch() => new(Connection);

    /// <summary>Ends <paramref name="batch"/> with the COMMIT: the transaction is over once it has run.</summary>
    public MySqlBatch Commit(MySqlBatch batch)
    {
        IsCommitted = true;
        return batch.Add("COMMIT");
    }
}

public static class Transactions
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, again from the start when InnoDB chose it as a deadlock
    /// victim or it waited too long for a lock (the whole transaction was rolled back, so nothing is half done).
    /// <paramref name="work"/> begins and commits it in its batches; leaving without a commit, or with an
    /// exception, rolls everything back before the connection goes back to the pool.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this MySqlDataSource db, Func<BatchedTransaction, Task<T>> work,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var transaction = new BatchedTransaction(connection);
            try
            {
                var result = await work(transaction);
                if (!transaction.IsCommitted)
                {
                    await RollbackAsync(connection);
                }
                return result;
            }
            catch (MySqlException exception) when (IsTransient(exception) && attempt < MaxAttempts)
            {
                await RollbackAsync(connection);
                // Jittered, growing pause, so that the transactions that collided do not collide again.
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), cancellationToken);
            }
            catch
            {
                await RollbackAsync(connection);
                throw;
            }
        }
    }

    /// <summary>
    /// Pooled connections are not reset when they are taken again (no round trip on the request path), so a
    /// transaction must never be left open on one: it is rolled back here. A connection too broken for that is
    /// one the driver does not pool again.
    /// </summary>
    private static async Task RollbackAsync(MySqlConnection connection)
    {
        try
        {
            await using var rollback = new MySqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception exception) when (exception is MySqlException or InvalidOperationException)
        {
            // Nothing more to do: the session is gone, and its transaction with it.
        }
    }

    private static bool IsTransient(MySqlException exception) =>
        exception.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout;
}
