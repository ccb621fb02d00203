using Challenge.Contracts.Validation;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Challenge.ApiConventions;

/// <summary>Problem results, each with the <c>detail</c> every error of the API carries.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict);

    /// <summary>
    /// A client that names a customer it does not act for. Nothing is said of that customer (not even whether it
    /// exists), and nothing was done.
    /// </summary>
    public static ProblemHttpResult OtherCustomer() => TypedResults.Problem(
        "This token acts for one customer and may order for that customer only.", statusCode: StatusCodes.Status403Forbidden);

    /// <summary>A 400 that names every invalid field and what is wrong with it.</summary>
    public static ValidationProblem ToProblem(this ValidationErrors errors) =>
        TypedResults.ValidationProblem(errors.ByField(), detail: "One or more fields are invalid.");

    public static RetryableProblem WithRetryAfter(ProblemHttpResult problem, int? seconds) => new(problem, seconds);

    /// <summary>
    /// Writes a problem where no endpoint result can (a refusal before or around the endpoint: rate limit, timeout,
    /// oversized body) with the same problem details service as every other. A client that accepts no JSON gets the
    /// status alone, never an exception (and a 500) instead.
    /// </summary>
    public static async Task TryWriteAsync(this IProblemDetailsService problems, HttpContext http, int status, string detail,
        string? type = null, string? title = null)
    {
        var problem = new ProblemDetails { Status = status, Detail = detail, Title = title };
        if (type is not null)
        {
            problem.Type = type;
        }
        http.Response.StatusCode = status;
        await problems.TryWriteAsync(new() { HttpContext = http, ProblemDetails = problem });
    }
}
