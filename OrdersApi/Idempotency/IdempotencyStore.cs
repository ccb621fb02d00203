using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.OrdersApi.Idempotency;

/// <summary>The outcome of claiming a key inside a transaction.</summary>
public abstract record KeyClaim
{
    /// <summary>The key is ours: nobody has completed it, and anyone else now waits for our transaction.</summary>
    public sealed record Owned : KeyClaim;

    /// <summary>Another request completed this key: its stored response is the answer.</summary>
    public sealed record Completed(StoredResponse Response) : KeyClaim;

    /// <summary>Another request holds the key and did not finish within the wait.</summary>
    public sealed record InFlight : KeyClaim;
}

public sealed record StoredResponse(byte[] Fingerprint, int StatusCode, string Body);

/// <summary>
/// Idempotency-Key records (SPEC.md "Idempotency"). The row is inserted as the first statement of the very
/// transaction that makes the change and completed with the response before it commits: a change never exists
/// without its key nor a key without its change, a failed or crashed request leaves nothing behind (the key is
/// free at once), and a concurrent duplicate blocks on the primary key until the first one ends.
/// </summary>
public sealed class IdempotencyStore(TimeProvider time, IOptions<OrdersOptions> options)
{
    private const string SelectStored = """
        SELECT fingerprint AS Fingerprint, status_code AS StatusCode, response_body AS Body
        FROM idempotency_keys
        WHERE operation = @Operation AND idem_key = @Key AND expires_at > @now
        """;

    /// <summary>A completed, unexpired record of the key, read without a transaction or a lock.</summary>
    public async Task<StoredResponse?> FindAsync(MySqlConnection connection, IdempotentRequest request, CancellationToken cancellationToken) =>
        await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(
            SelectStored, new { request.Operation, request.Key, now = time.UtcNowMilliseconds() }, cancellationToken: cancellationToken));

    /// <summary>Claims the key as the first statement of <paramref name="transaction"/>.</summary>
    public async Task<KeyClaim> ClaimAsync(MySqlConnection connection, MySqlTransaction transaction, IdempotentRequest request,
        CancellationToken cancellationToken)
    {
        // The wait for a duplicate in flight is InnoDB's lock wait, bounded for this transaction only.
        const string claim = """
            SET SESSION innodb_lock_wait_timeout = @waitSeconds;
            INSERT INTO idempotency_keys (operation, idem_key, fingerprint, status_code, response_body, created_at, expires_at)
            VALUES (@Operation, @Key, @Fingerprint, 0, '', @now, @expires);
            """;
        var settings = options.Value;
        var now = time.UtcNowMilliseconds();
        var parameters = new
        {
            request.Operation,
            request.Key,
            request.Fingerprint,
            now,
            expires = now + settings.IdempotencyKeyLifetime,
            waitSeconds = Math.Max(1, (int)Math.Ceiling(settings.IdempotencyWait.TotalSeconds)),
        };
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await connection.ExecuteAsync(new CommandDefinition(claim, parameters, transaction, cancellationToken: cancellationToken));
                return new KeyClaim.Owned();
            }
            catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.LockWaitTimeout)
            {
                return new KeyClaim.InFlight();
            }
            catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
            {
                var stored = await connection.QuerySingleOrDefaultAsync<StoredResponse>(new CommandDefinition(
                    SelectStored, new { request.Operation, request.Key, now }, transaction, cancellationToken: cancellationToken));
                if (stored is not null)
                {
                    return new KeyClaim.Completed(stored);
                }
                if (attempt > 0)
                {
                    throw;
                }
                // The record has expired and the purge has not removed it yet: it no longer counts.
                await connection.ExecuteAsync(new CommandDefinition(
                    "DELETE FROM idempotency_keys WHERE operation = @Operation AND idem_key = @Key AND expires_at <= @now",
                    new { request.Operation, request.Key, now }, transaction, cancellationToken: cancellationToken));
            }
        }
    }

    /// <summary>Stores the final response with the key, in the transaction that is about to commit.</summary>
    public Task CompleteAsync(MySqlConnection connection, MySqlTransaction transaction, IdempotentRequest request,
        StoredJson response, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE idempotency_keys SET status_code = @StatusCode, response_body = @Body
            WHERE operation = @Operation AND idem_key = @Key
            """,
            new { response.StatusCode, response.Body, request.Operation, request.Key }, transaction, cancellationToken: cancellationToken));

    /// <summary>The answer to a request whose key is not ours: a replay, a 422 for another request, or a 409.</summary>
    public static OrderOutcome Answer(KeyClaim claim, IdempotentRequest request) => claim switch
    {
        KeyClaim.Completed { Response: var stored } => Replay(stored, request),
        _ => InFlight(request),
    };

    public static OrderOutcome Replay(StoredResponse stored, IdempotentRequest request) =>
        stored.Fingerprint.AsSpan().SequenceEqual(request.Fingerprint)
            ? StoredJson.Replay(stored.StatusCode, stored.Body)
            : (OrderOutcome)TypedResults.Problem(
                $"The {IdempotencyHeaders.Key} '{request.Key}' was already used for a different {request.Operation} request.",
                statusCode: StatusCodes.Status422UnprocessableEntity);

    private static RetryableProblem InFlight(IdempotentRequest request) => Problems.WithRetryAfter(
        TypedResults.Problem(
            $"A {request.Operation} request with the {IdempotencyHeaders.Key} '{request.Key}' is still in progress; retry shortly.",
            statusCode: StatusCodes.Status409Conflict),
        seconds: 1);
}
