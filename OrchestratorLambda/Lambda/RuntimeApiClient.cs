using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>One invocation as <c>GET /runtime/invocation/next</c> hands it over.</summary>
internal sealed record Invocation(string RequestId, DateTimeOffset Deadline, string? FunctionArn, string? TraceId, byte[] Payload);

/// <summary>
/// A client of the AWS Lambda Runtime API (version 2018-06-01): next, response, error and init error, with the
/// <c>Lambda-Runtime-*</c> headers. Plain HttpClient: no service discovery, no retries, no timeout on the long poll.
/// </summary>
internal sealed class RuntimeApiClient(string endpoint) : IDisposable
{
    private const string ErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly HttpClient http = new() { BaseAddress = new Uri($"http://{endpoint}/2018-06-01/"), Timeout = Timeout.InfiniteTimeSpan };

    public async Task<Invocation> NextAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("runtime/invocation/next", cancellationToken);
        response.EnsureSuccessStatusCode();
        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id")
            ?? throw new InvalidDataException("The Runtime API sent an invocation without Lambda-Runtime-Aws-Request-Id.");
        var deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : DateTimeOffset.UtcNow.AddSeconds(30);
        return new(requestId, deadline, Header(response, "Lambda-Runtime-Invoked-Function-Arn"), Header(response, "Lambda-Runtime-Trace-Id"),
            await response.Content.ReadAsByteArrayAsync(cancellationToken));
    }

    public async Task RespondAsync(string requestId, byte[] payload, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(payload);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync($"runtime/invocation/{requestId}/response", content, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Reports an invocation that could not be handled at all (an event that is not an API Gateway request).</summary>
    public Task ReportErrorAsync(string requestId, string errorType, string message, CancellationToken cancellationToken) =>
        PostErrorAsync($"runtime/invocation/{requestId}/error", errorType, message, cancellationToken);

    /// <summary>Reports a failure to start; Lambda then fails the invocation that caused the cold start.</summary>
    public Task ReportInitErrorAsync(Exception exception) =>
        PostErrorAsync("runtime/init/error", "Runtime.InitError", $"{exception.GetType().Name}: {exception.Message}", CancellationToken.None);

    public void Dispose() => http.Dispose();

    private async Task PostErrorAsync(string path, string errorType, string message, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        await using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", message);
            json.WriteString("errorType", errorType);
            json.WriteStartArray("stackTrace");
            json.WriteEndArray();
            json.WriteEndObject();
        }
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        request.Headers.TryAddWithoutValidation(ErrorTypeHeader, errorType);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
