using System.Text;
using Microsoft.AspNetCore.Http;

namespace Challenge.ApiConventions;

/// <summary>
/// A JSON response serialized once: the very text that is sent is the text stored with an Idempotency-Key,
/// so a replay answers byte for byte what the first request answered.
/// </summary>
public sealed class JsonTextResult(int statusCode, string body, string? location = null, bool replayed = false)
    : IResult, IStatusCodeHttpResult
{
    /// <summary>Marks an answer replayed for an Idempotency-Key rather than computed again.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public int StatusCode => statusCode;

    int? IStatusCodeHttpResult.StatusCode => statusCode;

    public string Body => body;

    public static JsonTextResult Replay(int statusCode, string body) => new(statusCode, body, replayed: true);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json; charset=utf-8";
        if (location is not null)
        {
            response.Headers.Location = location;
        }
        if (replayed)
        {
            response.Headers[ReplayedHeader] = "true";
        }
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength = bytes.Length;
        return response.Body.WriteAsync(bytes, httpContext.RequestAborted).AsTask();
    }
}
