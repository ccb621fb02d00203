using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Challenge.ServiceDefaults.Http;

/// <summary>
/// The request's correlation id (SPEC.md "Conventions"): echoed from <c>X-Correlation-Id</c> or generated,
/// returned on every response, attached to every log line of the request and to every downstream call.
/// </summary>
public static class CorrelationId
{
    public const string HeaderName = "X-Correlation-Id";
    private const int MaxLength = 128;

    private static readonly AsyncLocal<string?> current = new();

    /// <summary>The id of the request being served on this async flow, if any.</summary>
    public static string? Current
    {
        get => current.Value;
        set => current.Value = value;
    }

    /// <summary>A caller's id is kept when it is 1..128 printable ASCII characters; anything else is replaced.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && value.All(c => c is > ' ' and <= '~');

    public static string New() => Guid.CreateVersion7().ToString();
}

internal sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        string? header = http.Request.Headers[CorrelationId.HeaderName];
        var id = CorrelationId.IsValid(header) ? header! : CorrelationId.New();
        Use(http, id);
        // Written when the response starts: the exception handler clears headers set earlier.
        http.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            context.Response.Headers[CorrelationId.HeaderName] = (string)context.Items[CorrelationId.HeaderName]!;
            return Task.CompletedTask;
        }, http);
        using (logger.BeginScope(new CorrelationScope(id)))
        {
            await next(http);
        }
    }

    /// <summary>Makes <paramref name="id"/> the request's correlation id (the orchestrator may pick another one from the body).</summary>
    public static void Use(HttpContext http, string id)
    {
        CorrelationId.Current = id;
        http.Items[CorrelationId.HeaderName] = id;
        Activity.Current?.SetTag("correlation.id", id);
    }
}

/// <summary>A logging scope that structured sinks read as a property and the console prints as text.</summary>
internal sealed class CorrelationScope(string id) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly KeyValuePair<string, object?> property = new("CorrelationId", id);

    public int Count => 1;
    public KeyValuePair<string, object?> this[int index] =>
        index == 0 ? property : throw new ArgumentOutOfRangeException(nameof(index));
    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() { yield return property; }
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    public override string ToString() => $"CorrelationId:{id}";
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
