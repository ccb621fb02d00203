using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Challenge.ApiConventions;

/// <summary>
/// A problem that may tell the client when to try again (503 of a dependency, 409 of a request in flight): with
/// <c>Retry-After</c> when <paramref name="retryAfterSeconds"/> is given.
/// </summary>
public sealed class RetryableProblem(ProblemHttpResult problem, int? retryAfterSeconds) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => problem.StatusCode;

    public ProblemDetails ProblemDetails => problem.ProblemDetails;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        if (retryAfterSeconds is { } seconds)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return problem.ExecuteAsync(httpContext);
    }
}
