using System.Text.Json;
using Challenge.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Challenge.ApiConventions;

/// <summary>
/// Turns what goes wrong before a handler runs (malformed JSON, wrong types, oversized bodies) and what goes
/// wrong below it (the database unreachable) into problem details that name what is wrong, instead of a bare 400 or a 500.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger)
    : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails? problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new()
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Detail = $"The request body is larger than {KestrelLimits.MaxRequestBodyBytes / 1024} KiB.",
            },
            BadHttpRequestException { InnerException: JsonException json } => InvalidJson(json),
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new()
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Detail = "The request body must be JSON (Content-Type: application/json).",
            },
            BadHttpRequestException bad when bad.Message.Contains("no body was provided", StringComparison.Ordinal) =>
                Invalid("body", "A JSON body is required."),
            BadHttpRequestException bad when QueryBinding.Failure(bad.Message) is { } binding => Invalid(binding.Field, binding.Message, "One or more fields are invalid."),
            BadHttpRequestException bad => new() { Status = bad.StatusCode, Detail = "The request is malformed." },
            // Rows held too long by others, or every pooled connection at work, is contention, not an outage: the pool stays as it is.
            MySqlException { ErrorCode: MySqlErrorCode.LockWaitTimeout or MySqlErrorCode.LockDeadlock } => Busy(http, "The rows this request needs stayed locked by others too long"),
            MySqlException db when DatabaseOutage.IsPoolExhausted(db) => Busy(http, "Every database connection of this instance stayed busy too long"),
            var failure when DatabaseOutage.IsOutage(failure) => Unavailable(http, failure),
            _ => null,
        };
        if (problem is null)
        {
            return false;
        }
        http.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static HttpValidationProblemDetails InvalidJson(JsonException json)
    {
        if (json.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("body", $"The JSON is nested deeper than {ApiJson.MaxDepth} levels.");
        }
        // The reader's own exception inside means the text is not JSON at all; without it, a member has the
        // wrong type, and System.Text.Json names it as a path: "$.items[0].qty" becomes "items[0].qty".
        if (json.InnerException is JsonException || json.Path is null or "$")
        {
            return Invalid("body", "The body is not valid JSON.");
        }
        return Invalid(json.Path.TrimStart('$').TrimStart('.'), "The value is of the wrong type.");
    }

    private static HttpValidationProblemDetails Invalid(string field, string message, string detail = "The request body is invalid.") =>
        new(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = StatusCodes.Status400BadRequest,
            Detail = detail,
        };

    private ProblemDetails Unavailable(HttpContext http, Exception exception)
    {
        LogDatabaseUnavailable(logger, exception.Message);
        http.RequestServices.GetService<Database>()?.ForgetPooledConnections();
        http.Response.Headers.RetryAfter = "1";
        return new() { Status = StatusCodes.Status503ServiceUnavailable, Detail = "The database is unavailable; try again shortly." };
    }

    private static ProblemDetails Busy(HttpContext http, string reason)
    {
        http.Response.Headers.RetryAfter = "1";
        return new() { Status = StatusCodes.Status503ServiceUnavailable, Detail = $"{reason}; try again shortly." };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Database unavailable: {Reason}")]
    private static partial void LogDatabaseUnavailable(ILogger logger, string reason);
}
