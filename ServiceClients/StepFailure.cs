using System.Text.Json;
using Challenge.ApiConventions;
using Microsoft.AspNetCore.Http;

namespace Challenge.ServiceClients;

/// <summary>Why a call to another service failed: the status to answer, a detail, what the service said beside it, and when to retry.</summary>
public sealed record StepFailure(int Status, string Detail, IReadOnlyDictionary<string, JsonElement> Extensions, int? RetryAfterSeconds = null)
{
    /// <summary>The problem to answer: the status and detail, what the service said, the <paramref name="step"/> when one is named, and Retry-After.</summary>
    public RetryableProblem ToProblem(string? step = null)
    {
        var extensions = Extensions.ToDictionary(e => e.Key, e => (object?)e.Value);
        if (step is not null)
        {
            extensions["step"] = step;
        }
        return Problems.WithRetryAfter(TypedResults.Problem(Detail, statusCode: Status, extensions: extensions), RetryAfterSeconds);
    }
}
