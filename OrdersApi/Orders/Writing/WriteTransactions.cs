using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>
/// One change of the Orders API in one transaction, under its Idempotency-Key when it has one. The work sends its
/// round trips through <see cref="WriteTransaction.Batch"/> and answers; the answer decides the end: a success (2xx)
/// commits, with the key's completion and whatever travels with the commit, in one last round trip; anything else
/// rolls back, so a refused or failed request changes nothing and leaves its key free. The work never begins,
/// claims or commits itself.
/// </summary>
public sealed class WriteTransactions(Database db, IdempotencyStore keys, KeyAdmission admission, TimeProvider time, IOptions<OrdersOptions> options)
{
    private const int MaxAttempts = 5;

    public async Task<OrderOutcome> RunAsync(IdempotentRequest? key, Func<WriteTransaction, Task<OrderOutcome>> work, CancellationToken cancellationToken)
    {
        // Only a few requests may work or wait on one key at once (each holds a connection while it waits on the key's
        // row); the others are told to come back at once, holding nothing.
        using var admitted = key is null ? null : admission.Admit(key);
        if (admitted is { IsAcquired: false })
        {
            return IdempotencyStore.InFlight(key!);
        }
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            var now = time.UtcNowMilliseconds();
            var transaction = new WriteTransaction(connection, key, now, now + options.Value.IdempotencyKeyLifetime);
            try
            {
                var outcome = await work(transaction);
                if (outcome.Result is JsonTextResult { StatusCode: >= 200 and < 300 } answer)
                {
                    await transaction.CommitAsync(answer, cancellationToken);
                }
                else
                {
                    await RollbackAsync(connection);
                }
                return outcome;
            }
            catch (MySqlException exception) when (key is not null && exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
            {
                // The key's claim met another request's: that one committed, and its answer is this one's, unless its
                // record has expired and the purge has not removed it yet, in which case it no longer counts.
                await RollbackAsync(connection);
                if (await keys.ReplayAsync(connection, key, cancellationToken) is { } replay)
                {
                    return replay;
                }
                await keys.DeleteExpiredAsync(connection, key, cancellationToken);
                if (attempt == MaxAttempts)
                {
                    return IdempotencyStore.InFlight(key);
                }
            }
            catch (MySqlException exception) when (exception.ErrorCode is MySqlErrorCode.LockDeadlock or MySqlErrorCode.LockWaitTimeout)
            {
                // Our own uncommitted claim is visible to us: without it, the wait that ran out was for another request
                // in flight under the key, whose answer is not ours to wait for any longer.
                var inFlightElsewhere = key is not null && exception.ErrorCode == MySqlErrorCode.LockWaitTimeout
                    && !await keys.HoldsClaimAsync(connection, key, cancellationToken);
                await RollbackAsync(connection);
                if (inFlightElsewhere)
                {
                    return IdempotencyStore.InFlight(key!);
                }
                if (attempt == MaxAttempts)
                {
                    throw;
                }
                // InnoDB chose this transaction as a deadlock victim, or it waited too long for a row: it was rolled
                // back whole, so it is run again from the start, after a jittered, growing pause.
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
    /// transaction must never be left open on one: it is rolled back here. A connection too broken for that is one
    /// the driver does not pool again.
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
}
