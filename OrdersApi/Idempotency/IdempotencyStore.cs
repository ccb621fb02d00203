using Dapper;
using MySqlConnector;

namespace Challenge.OrdersApi.Idempotency;

/// <summary>
/// Idempotency-Key records: where a key is claimed, completed and replayed. The claim is a row inserted in the first
/// round trip of the very transaction that makes the change (<see cref="WriteTransactions"/>), and completed with the
/// answer beside its <c>COMMIT</c>: a change never exists without its key nor a key without its change, a failed or
/// crashed request leaves nothing behind (the key is free at once), and a concurrent duplicate blocks on the primary
/// key until the first one ends, then reads its answer. Claiming and completing cost no round trip of their own.
/// </summary>
public sealed class IdempotencyStore(Database db, TimeProvider time)
{
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
        WHERE operation = @Operation AND idem_key = @StoredKey AND expires_at > @now
        """;

    public static MySqlBatch AddClaim(MySqlBatch batch, IdempotentRequest request, DateTime now, DateTime expires) =>
        batch.Add(Claim, ("@operation", request.Operation), ("@key", request.StoredKey), ("@fingerprint", request.Fingerprint),
            ("@now", now), ("@expires", expires));

    /// <summary>Adds the key's answer to <paramref name="batch"/>, the one that commits the change.</summary>
    public static MySqlBatch AddCompletion(MySqlBatch batch, IdempotentRequest request, JsonTextResult response) =>
        batch.Add(Complete, ("@status", response.StatusCode), ("@body", response.Body), ("@operation", request.Operation), ("@key", request.StoredKey));

    /// <summary>
    /// The answer a completed, unexpired record of the key gives (read without a lock): its stored response as it
    /// was, or a 422 when the key was used for another request; null when there is none.
    /// </summary>
    public async Task<OrderOutcome?> ReplayAsync(MySqlConnection connection, IdempotentRequest request, CancellationToken cancellationToken)
    {
        var stored = await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(
            SelectStored, new { request.Operation, request.StoredKey, now = time.UtcNowMilliseconds() }, cancellationToken: cancellationToken));
        if (stored is null)
        {
            return null;
        }
        return stored.Fingerprint.AsSpan().SequenceEqual(request.Fingerprint)
            ? JsonTextResult.Replay(stored.StatusCode, stored.Body)
            : TypedResults.Problem(
                $"The {IdempotencyKeys.Header} '{request.Key}' was already used for a different {request.Operation} request.",
                statusCode: StatusCodes.Status422UnprocessableEntity);
    }

    /// <inheritdoc cref="ReplayAsync(MySqlConnection, IdempotentRequest, CancellationToken)"/>
    public async Task<OrderOutcome?> ReplayAsync(IdempotentRequest request, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await ReplayAsync(connection, request, cancellationToken);
    }

    /// <summary>Removes the key's record once it has expired (the purge may not have come by yet): it no longer counts.</summary>
    public async Task DeleteExpiredAsync(MySqlConnection connection, IdempotentRequest request, CancellationToken cancellationToken) =>
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM idempotency_keys WHERE operation = @Operation AND idem_key = @StoredKey AND expires_at <= @now",
            new { request.Operation, request.StoredKey, now = time.UtcNowMilliseconds() }, cancellationToken: cancellationToken));

    /// <summary>
    /// Whether this transaction holds the key's claim: its own uncommitted row is visible to it, another's is not. A
    /// lock wait that ran out without it was a wait for another request under the key.
    /// </summary>
    public async Task<bool> HoldsClaimAsync(MySqlConnection connection, IdempotentRequest request, CancellationToken cancellationToken) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM idempotency_keys WHERE operation = @Operation AND idem_key = @StoredKey AND status_code = 0",
            new { request.Operation, request.StoredKey }, cancellationToken: cancellationToken)) > 0;

    /// <summary>Deletes the records expired by now, a thousand at a time; how many.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken) =>
        db.DeleteInBatchesAsync("DELETE FROM idempotency_keys WHERE expires_at <= @now LIMIT @batch", new { now = time.UtcNowMilliseconds() },
            batchSize: 1_000, cancellationToken);

    /// <summary>The answer to a request whose key another request is still working under.</summary>
    public static RetryableProblem InFlight(IdempotentRequest request) => Problems.WithRetryAfter(
        TypedResults.Problem(
            $"A {request.Operation} request with the {IdempotencyKeys.Header} '{request.Key}' is still in progress; retry shortly.",
            statusCode: StatusCodes.Status409Conflict),
        seconds: 1);
}
