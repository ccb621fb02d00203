using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.OrdersApi.Idempotency;

/// <summary>What the orchestrator answered under a key: its fingerprint (hex SHA-256) and its final response.</summary>
public sealed record OrchestrationRecord(string Fingerprint, int StatusCode, string Body);

/// <summary>
/// The orchestrator's own Idempotency-Key records. The orchestrator keeps no state (it may be a Lambda), yet its
/// contract is that a retry answers the stored body as it was; so its final answer is kept here, beside the
/// create and confirm records of the same key, under the operation <c>orchestrate</c>. Services only.
/// </summary>
public static class OrchestrationRecords
{
    public const string Operation = "orchestrate";

    public static IEndpointRouteBuilder MapOrchestrationRecords(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/internal/orchestrations").WithTags("Internal").RequireAuthorization(AuthPolicies.Service);
        records.MapGet("/", Find).ProducesProblem(StatusCodes.Status404NotFound);
        records.MapPut("/", Store);
        return app;
    }

    /// <summary>The record of the key in the <c>Idempotency-Key</c> header, if an orchestration completed under it.</summary>
    public static async Task<Results<Ok<OrchestrationRecord>, ValidationProblem, ProblemHttpResult>> Find(
        HttpRequest http, MySqlDataSource db, IdempotencyStore keys, CancellationToken cancellationToken)
    {
        if (RequiredKey(http) is not { } key)
        {
            var errors = new ValidationErrors();
            AddKeyError(errors);
            return errors.ToProblem();
        }
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var stored = await keys.FindAsync(connection, new IdempotentRequest(Operation, key, []), cancellationToken);
        return stored is null
            ? Problems.NotFound($"No orchestration completed under the {IdempotencyHeaders.Key} '{key}'.")
            : TypedResults.Ok(new OrchestrationRecord(Convert.ToHexStringLower(stored.Fingerprint), stored.StatusCode, stored.Body));
    }

    /// <summary>Stores the record unless one exists already; answers the record that is kept (the first one wins).</summary>
    public static async Task<Results<Ok<OrchestrationRecord>, ValidationProblem>> Store(
        OrchestrationRecord record, HttpRequest http, MySqlDataSource db, TimeProvider time, IOptions<OrdersOptions> options,
        CancellationToken cancellationToken)
    {
        var key = RequiredKey(http);
        var errors = new ValidationErrors();
        if (key is null)
        {
            AddKeyError(errors);
        }
        if (record.Fingerprint is not { Length: 64 } || !record.Fingerprint.All(Uri.IsHexDigit))
        {
            errors.Add("fingerprint", "fingerprint must be a SHA-256 in hex.");
        }
        if (record.StatusCode is < 200 or > 299 || string.IsNullOrEmpty(record.Body))
        {
            errors.Add("body", "Only a successful response (2xx) with a body is stored.");
        }
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        const string sql = """
            DELETE FROM idempotency_keys WHERE operation = @Operation AND idem_key = @key AND expires_at <= @now;
            INSERT INTO idempotency_keys (operation, idem_key, fingerprint, status_code, response_body, created_at, expires_at)
            VALUES (@Operation, @key, @fingerprint, @StatusCode, @Body, @now, @expires)
            ON DUPLICATE KEY UPDATE operation = operation;
            SELECT LOWER(HEX(fingerprint)) AS Fingerprint, status_code AS StatusCode, response_body AS Body
            FROM idempotency_keys WHERE operation = @Operation AND idem_key = @key;
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var kept = await connection.QuerySingleAsync<OrchestrationRecord>(new CommandDefinition(sql, new
        {
            Operation,
            key,
            fingerprint = Convert.FromHexString(record.Fingerprint),
            record.StatusCode,
            record.Body,
            now,
            expires = now + options.Value.IdempotencyKeyLifetime,
        }, cancellationToken: cancellationToken));
        return TypedResults.Ok(kept);
    }

    private static string? RequiredKey(HttpRequest http) =>
        http.Headers[IdempotencyHeaders.Key].ToString() is { Length: > 0 } key && IdempotencyHeaders.IsValid(key) ? key : null;

    private static void AddKeyError(ValidationErrors errors) =>
        errors.Add(IdempotencyHeaders.Key, $"{IdempotencyHeaders.Key} is required: 1 to {IdempotencyHeaders.MaxKeyLength} printable ASCII characters.");
}
