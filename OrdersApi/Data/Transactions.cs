using MySqlConnector;

namespace Challenge.OrdersApi.Data;

public static class Transactions
{
    private const int MaxAttempts = 5;

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, again from the start when InnoDB chose it as a deadlock
    /// victim or it waited too long for a lock (the whole transaction was rolled back, so nothing is half done).
    /// <paramref name="work"/> commits; leaving without a commit rolls everything back.
    /// </summary>
    public static async Task<T> InTransactionAsync<T>(this MySqlDataSource db,
        Func<MySqlConnection, MySqlTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            try
            {
                return await work(connection, transaction);
            }
            catch (MySqlException exception) when (IsTransient(exception) && attempt < MaxAttempts)
            {
                // Jittered, growing pause, so that the transactions that collided do not collide again.
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), cancellationToken);
            }
        }
    }

    private static bool IsTransient(MySqlException exception) =>
        exception.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout;
}
