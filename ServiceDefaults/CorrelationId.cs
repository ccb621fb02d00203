using Challenge.Contracts.Correlation;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Challenge.ServiceDefaults;

/// <summary>
/// The request's correlation id: echoed from <c>X-Correlation-Id</c> or generated,
/// returned on every response, attached to every log line of the request and to every downstream call.
/// </summary>
public static class CorrelationId
{
    public const string HeaderName = "X-Correlation-Id";

    private static readonly AsyncLocal<string?> current = new();

    /// <summary>The id of the request being served on this async flow, if any.</summary>
    public static string? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    public static string New() => Guid.CreateVersion7().ToString();

    /// <summary>
    /// Makes <paramref name="id"/> the request's correlation id: on the response, in every downstream call and in
    /// the trace (the orchestrator may take it from the body rather than the header).
    /// </summary>
    public static void Apply(HttpContext http, string id)
    {
        Current = id;
        http.Items[HeaderName] = id;
        Activity.Current?.SetTag("correlation.id", id);
    }
}

internal sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        string? header = http.Request.Headers[CorrelationId.HeaderName];
        var id = CorrelationIds.IsValid(header) ? header! : CorrelationId.New();
        CorrelationId.Apply(http, id);
        // Written when the response starts: the exception handler clears headers set earlier.
        http.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            context.Response.Headers[CorrelationId.HeaderName] = (string)context.Items[CorrelationId.HeaderName]!;
            return Task.CompletedTask;
        }, http);
        using (logger.BeginScope(new CorrelationScope(http)))
        {
            await next(http);
        }
    }
}

/// <summary>
/// A logging scope that structured sinks read as a property and the console prints as text. It reads the id when
/// a line is written, so an id chosen later in the request (the orchestrator's body field) is the one logged.
/// </summary>
internal sealed class CorrelationScope(HttpContext http) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private KeyValuePair<string, object?> Property => new("CorrelationId", http.Items[CorrelationId.HeaderName]);

    public int Count => 1;
    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? Property : throw new ArgumentOutOfRangeException(nameof(index));
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() { yield return Property; }
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    public override string ToString() => $"CorrelationId:{Property.Value}";
}

/// <summary>Propagates the current correlation id to every outgoing HTTP call (beside W3C traceparent).</summary>
internal sealed class CorrelationIdHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (CorrelationId.Current is { } id && !request.Headers.Contains(CorrelationId.HeaderName))
        {
            request.Headers.TryAddWithoutValidation(CorrelationId.HeaderName, id);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
