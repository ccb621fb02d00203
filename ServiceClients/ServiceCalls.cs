using Challenge.Contracts.Idempotency;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Challenge.ApiConventions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Challenge.ServiceClients;

/// <summary>
/// One call to another service, by the orchestrator or the Orders API alike. What the caller got wrong or the state
/// of things (400, 404, 409, 422) passes through with the service's own detail; the service failing (down, hanging,
/// 5xx, an answer that is not the expected JSON, open circuit, calls held back) becomes a 502, 503 or 504: never the
/// client's fault, never a 404 or a 400, never a 500.
/// </summary>
public static class ServiceCalls
{
    /// <summary>
    /// The resilience of every call to another service, within the caller's budget: <paramref name="attemptTimeout"/>
    /// per attempt, <paramref name="totalTimeout"/> in all, up to <paramref name="retries"/> retries with jittered
    /// exponential backoff where <see cref="IsSafeToRetry"/> says so, and a circuit breaker that pauses calls to a
    /// service failing half of at least 20 calls in 10 s, for 5 s.
    /// </summary>
    public static void Resilience(HttpStandardResilienceOptions resilience, TimeSpan attemptTimeout, TimeSpan totalTimeout, int retries)
    {
        resilience.AttemptTimeout.Timeout = attemptTimeout;
        resilience.TotalRequestTimeout.Timeout = totalTimeout;
        resilience.Retry.MaxRetryAttempts = retries;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(IsSafeToRetry(args.Outcome, args.Context.GetRequestMessage()));
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        resilience.CircuitBreaker.MinimumThroughput = 20;
        resilience.CircuitBreaker.FailureRatio = 0.5;
        resilience.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    }

    /// <summary>
    /// Only what cannot do harm twice is retried: reads, PUTs and keyed POSTs (the Orders API replays them), and only
    /// on failures that may pass (transport errors, timeouts, 408, 429, 502, 503, 504, and a 409 that says when to
    /// come back: the key is in flight and enough requests already wait on it), never on a 500.
    /// </summary>
    public static bool IsSafeToRetry(Outcome<HttpResponseMessage> outcome, HttpRequestMessage? request)
    {
        var safe = request is not null && (request.Method == HttpMethod.Get || request.Method == HttpMethod.Put
            || (request.Method == HttpMethod.Post && request.Headers.Contains(IdempotencyKeys.Header)));
        if (!safe)
        {
            return false;
        }
        return outcome.Exception is HttpRequestException or TimeoutRejectedException
            || outcome.Result?.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
                or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout
            || outcome.Result is { StatusCode: HttpStatusCode.Conflict, Headers.RetryAfter: not null };
    }

    public static async Task<StepResult<T>> SendAsync<T>(HttpClient http, HttpRequestMessage request, JsonTypeInfo<T> type,
        string service, CancellationToken cancellationToken, bool notFoundIsEmpty = false)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return await ReadValueAsync(response, type, cancellationToken) is { } value
                    ? new(value, null, response.Headers.Contains(JsonTextResult.ReplayedHeader))
                    : new(default, new(StatusCodes.Status502BadGateway,
                        $"The {service} answered {(int)response.StatusCode} with a body that is not the expected JSON.", Empty));
            }
            if (notFoundIsEmpty && response.StatusCode == HttpStatusCode.NotFound)
            {
                return new(default, null);
            }
            return new(default, await FailureAsync(response, service, cancellationToken));
        }
        catch (BrokenCircuitException)
        {
            return new(default, new(StatusCodes.Status503ServiceUnavailable, $"Calls to the {service} are paused after repeated failures.", Empty, 5));
        }
        catch (TimeoutRejectedException)
        {
            return new(default, new(StatusCodes.Status504GatewayTimeout, $"The {service} did not answer in time.", Empty));
        }
        catch (ExecutionRejectedException)
        {
            // The resilience pipeline refused the call itself (its concurrency limiter is full): the service was not asked.
            return new(default, new(StatusCodes.Status503ServiceUnavailable, $"Too many calls to the {service} are under way; try again shortly.", Empty, 1));
        }
        catch (HttpRequestException exception)
        {
            return new(default, new(StatusCodes.Status503ServiceUnavailable, $"The {service} is unreachable ({exception.HttpRequestError}).", Empty, 2));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The orchestration's own deadline ran out during this call: the step that was running is named.
            return new(default, new(StatusCodes.Status504GatewayTimeout,
                $"The orchestration ran out of time waiting for the {service}; retry with the same key.", Empty));
        }
    }

    private static readonly IReadOnlyDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();

    /// <summary>
    /// The answer's value, or null when its body is not JSON of that type (an HTML error page, <c>null</c>, another
    /// shape, a charset that cannot be read).
    /// </summary>
    private static async Task<T?> ReadValueAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return default;
        }
    }

    private static async Task<StepFailure> FailureAsync(HttpResponseMessage response, string service, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var (detail, extensions) = await ReadProblemAsync(response, cancellationToken);
        if (status is 400 or 404 or 409 or 422)
        {
            var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int?)Math.Ceiling(delta.TotalSeconds) : null;
            return new(status, detail ?? $"The {service} answered {status}.", extensions, retryAfter);
        }
        return status switch
        {
            StatusCodes.Status503ServiceUnavailable => new(status, $"The {service} is unavailable: {detail}", Empty, 2),
            StatusCodes.Status504GatewayTimeout or StatusCodes.Status408RequestTimeout => new(StatusCodes.Status504GatewayTimeout, $"The {service} timed out: {detail}", Empty),
            _ => new(StatusCodes.Status502BadGateway, $"The {service} failed with {status}: {detail}", Empty),
        };
    }

    /// <summary>The <c>detail</c> of a problem answer and its extension members (e.g. which product is short of stock).</summary>
    private static async Task<(string? Detail, IReadOnlyDictionary<string, JsonElement> Extensions)> ReadProblemAsync(
        HttpResponseMessage response, CancellationToken cancellationToken)
    {
        JsonElement problem;
        try
        {
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            problem = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return (null, Empty);
        }
        if (problem.ValueKind != JsonValueKind.Object)
        {
            return (null, Empty);
        }
        var detail = problem.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        var extensions = problem.EnumerateObject()
            .Where(p => p.Name is not ("type" or "title" or "status" or "detail" or "instance" or "trace_id"))
            .ToDictionary(p => p.Name, p => p.Value.Clone());
        return (detail, extensions);
    }
}
