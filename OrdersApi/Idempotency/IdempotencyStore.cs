using System.Collections.Concurrent;
using Challenge.OrdersApi.Data;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Challenge.Contracts.Idempotency;

namespace Challenge.OrdersApi.Idempotency;

public sealed record StoredResponse(byte[] Fingerprint, int StatusCode, string Body);

/// <summary>
/// Idempotency-Key records. The row is inserted in the first batch of the very transaction that makes the change,
/// right after <c>START TRANSACTION</c>, and completed with the response in its last batch, beside the
/// <c>COMMIT</c>: a change never exists without its key nor a key without its change, a failed or crashed request
/// leaves nothing behind (the key is free at once), and a concurrent duplicate blocks on the primary key until the
/// first one ends, then reads its answer. Claiming and completing cost no round trip of their own.
/// </summary>
public sealed class IdempotencyStore(TimeProvider time, IOptions<OrdersOptions> options)
{
    /// <summary>Requests of this instance at work or waiting under each key, so that a flood of duplicates holds nothing.</summary>
    private readonly ConcurrentDictionary<(string Operation, string Key), int> atWork = new();

    private const string Claim = """
        INSERT INTO idempotency_keys (operation, idem_key, fingerprint, status_code, response_body, created_at, expires_at)
        VALUES (@operation, @key, @fingerprint, 0, '', @now, @expires)
        """;

    private const string Complete = """
        UPDATE idempotency_keys SET status_code = @status, response_body = @body WHERE operation = @operation AND idem_key = @key
        """;

    private const string SelectStored = """
        SELECT fingerprint AS Fingerprint, status_code AS StatusCode, response_body AS Body
        FROM idempotency_keys
        WHERE operation = @Operation AND idem_key = @Key AND expires_at > @now
        """;

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction whose first batch (handed to it, to add its own statements
    /// and run) claims the key. When the key is not ours, the answer is the stored one (a replay, or a 422 for
    /// another request) or, while its first request is still in flight past the wait, a 409.
    /// </summary>
    public async Task<OrderOutcome> RunAsync(MySqlDataSource db, IdempotentRequest? request,
        Func<BatchedTransaction, MySqlBatch, Task<OrderOutcome>> work, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            // No key, nothing to claim: the work alone, in its transaction.
            return await db.InTransactionAsync(transaction => work(transaction, transaction.Begin()), cancellationToken);
        }
        // Only a few requests may wait on one key at once (each holds a connection while it waits on the key's row);
        // the others are told to come back at once, holding nothing.
        var slot = (request.Operation, request.StoredKey);
        try
        {
            return atWork.AddOrUpdate(slot, 1, (_, count) => count + 1) > options.Value.MaxRequestsPerKey
                ? InFlight(request)
                : await RunClaimedAsync(db, request, work, cancellationToken);
        }
        finally
        {
            if (atWork.AddOrUpdate(slot, 0, (_, count) => count - 1) <= 0)
            {
                atWork.TryRemove(KeyValuePair.Create(slot, 0));
            }
        }
    }

    private Task<OrderOutcome> RunClaimedAsync(MySqlDataSource db, IdempotentRequest request,
        Func<BatchedTransaction, MySqlBatch, Task<OrderOutcome>> work, CancellationToken cancellationToken) =>
        db.InTransactionAsync(async transaction =>
        {
            var first = transaction.Begin();
            while (true)
            {
                var now = time.UtcNowMilliseconds();
                first.Add(Claim, ("@operation", request.Operation), ("@key", request.StoredKey), ("@fingerprint", request.Fingerprint),
                    ("@now", now), ("@expires", now + options.Value.IdempotencyKeyLifetime));
                try
                {
                    return await work(transaction, first);
                }
                catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
                {
                    // The other request committed: its record is the answer, unless it has expired and the purge
                    // has not removed it yet, in which case it no longer counts and the key is claimed again.
                    if (await FindAsync(transaction.Connection, request, cancellationToken) is { } stored)
                    {
                        return Replay(stored, request);
                    }
                    await transaction.Connection.ExecuteAsync(new CommandDefinition(
                        "DELETE FROM idempotency_keys WHERE operation = @Operation AND idem_key = @Key AND expires_at <= @now",
                        new { request.Operation, Key = request.StoredKey, now }, cancellationToken: cancellationToken));
                    first = transaction.Batch();
                }
                catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.LockWaitTimeout)
                {
                    if (await HoldsClaimAsync(transaction, request, cancellationToken))
                    {
                        throw; // A wait for a product row: the whole transaction is tried again.
                    }
                    return InFlight(request);
                }
            }
        }, cancellationToken);

    /// <summary>Adds the key's answer to <paramref name="batch"/>, the one that commits the change.</summary>
    public static MySqlBatch AddCompletion(MySqlBatch batch, IdempotentRequest request, StoredJson response) =>
        batch.Add(Complete, ("@status", response.StatusCode), ("@body", response.Body), ("@operation", request.Operation), ("@key", request.StoredKey));

    /// <summary>A completed, unexpired record of the key, read without a lock.</summary>
    public async Task<StoredResponse?> FindAsync(MySqlConnection connection, IdempotentRequest request, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(
            SelectStored, new { request.Operation, Key = request.StoredKey, now = time.UtcNowMilliseconds() }, cancellationToken: cancellationToken));

    public async Task<StoredResponse?> FindAsync(MySqlDataSource db, IdempotentRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, request, cancellationToken);
    }

    public static OrderOutcome Replay(StoredResponse stored, IdempotentRequest request) =>
        stored.Fingerprint.AsSpan().SequenceEqual(request.Fingerprint)
            ? StoredJson.Replay(stored.StatusCode, stored.Body)
            : (OrderOutcome)TypedResults.Problem(
                $"The {IdempotencyKeys.Header} '{request.Key}' was already used for a different {request.Operation} request.",
                statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>
    /// Whether the lock wait that ran out was someone else's hold on our key (the claim never happened) rather
    /// than a wait for a product row after our claim: our own uncommitted row is visible to us, another's is not.
    /// </summary>
    private static async Task<bool> HoldsClaimAsync(BatchedTransaction transaction, IdempotentRequest request, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM idempotency_keys WHERE operation = @Operation AND idem_key = @Key AND status_code = 0",
            new { request.Operation, Key = request.StoredKey }, cancellationToken: cancellationToken)) > 0;

    private static RetryableProblem InFlight(IdempotentRequest request) => Problems.WithRetryAfter(
        TypedResults.Problem(
            $"A {request.Operation} request with the {IdempotencyKeys.Header} '{request.Key}' is still in progress; retry shortly.",
            statusCode: StatusCodes.Status409Conflict),
        seconds: 1);
}
