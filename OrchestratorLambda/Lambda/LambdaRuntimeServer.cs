using Challenge.ServiceDefaults;
using System.Net;
using Challenge.ApiConventions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>
/// An ASP.NET Core server whose requests come from the Lambda Runtime API instead of a socket: each invocation's
/// API Gateway event becomes an HttpContext that runs through the very pipeline Kestrel would run (middleware,
/// routing, endpoints), and the response goes back as the event's answer.
/// </summary>
internal sealed partial class LambdaRuntimeServer(
    RuntimeApiClient runtime, IProblemDetailsService problems, IHostApplicationLifetime lifetime, ILogger<LambdaRuntimeServer> logger)
    : IServer
{
    /// <summary>
    /// The largest request body an invocation may carry: Kestrel's limit for every service. API Gateway lets bodies of
    /// megabytes through, and nothing here would stop them, so the limit is checked before the pipeline runs.
    /// </summary>
    public const long MaxRequestBodyBytes = KestrelLimits.MaxRequestBodyBytes;

    private const string TraceVariable = "_X_AMZN_TRACE_ID";

    /// <summary>The pause after a call to the Runtime API failed, so that a failing <c>next</c> is not asked again in a hot loop.</summary>
    private static readonly TimeSpan failureBackOff = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource stopping = new();
    private Task loop = Task.CompletedTask;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        loop = Task.Run(() => PollAsync(application, stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        stopping.Cancel();
        stopping.Dispose();
        runtime.Dispose();
    }

    /// <summary>
    /// The Runtime API is gone when it cannot be reached at all (the sandbox is shutting down), or when it answers 500,
    /// which its contract calls a non-recoverable container error after which the runtime should exit. Any other
    /// answer (400, 403, 413) refuses one call, not the function.
    /// </summary>
    private static bool IsGone(HttpRequestException exception) => exception.StatusCode is null or HttpStatusCode.InternalServerError;

    /// <summary>Serves invocations one after the other until the host stops or the Runtime API is gone; one failed invocation ends only itself.</summary>
    private async Task PollAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await ServeNextAsync(application, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException exception) when (IsGone(exception))
            {
                LogRuntimeApiLost(logger, exception.Message);
                lifetime.StopApplication();
                return;
            }
            catch (Exception exception)
            {
                // The Runtime API refused a call, or handed over an invocation that cannot be answered (no request id).
                LogRuntimeApiCallFailed(logger, exception);
                await Task.Delay(failureBackOff, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>
    /// One invocation: its event read, run through the pipeline and answered. A failure of the invocation (an exception
    /// out of the pipeline, an answer the Runtime API refuses) is reported as its error, which API Gateway turns into a 502.
    /// </summary>
    private async Task ServeNextAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        var invocation = await runtime.NextAsync(cancellationToken);
        Environment.SetEnvironmentVariable(TraceVariable, invocation.TraceId);
        if (!ApiGatewayEvents.TryRead(invocation.Payload, out var request, out var error))
        {
            LogInvalidEvent(logger, invocation.RequestId, error);
            await runtime.ReportErrorAsync(invocation.RequestId, "Runtime.InvalidEvent", error, cancellationToken);
            return;
        }
        byte[] answer;
        try
        {
            answer = request.Body.Length > MaxRequestBodyBytes
                ? await RefuseTooLargeAsync(invocation, request)
                : await InvokeAsync(application, invocation, request);
        }
        catch (Exception exception)
        {
            // What escaped the pipeline's exception handler: Lambda fails the invocation (API Gateway answers 502).
            LogUnhandledException(logger, invocation.RequestId, exception);
            await runtime.ReportErrorAsync(invocation.RequestId, "Runtime.UnhandledException", $"{exception.GetType().Name}: {exception.Message}",
                cancellationToken);
            return;
        }
        try
        {
            await runtime.RespondAsync(invocation.RequestId, answer, cancellationToken);
        }
        catch (HttpRequestException exception) when (exception.StatusCode is { } status && !IsGone(exception))
        {
            // Refused, e.g. 413 for an answer over Lambda's 6 MB: the invocation is failed as an error instead.
            LogResponseRefused(logger, invocation.RequestId, (int)status);
            await runtime.ReportErrorAsync(invocation.RequestId, "Runtime.ResponseRefused", $"The Runtime API refused the response with {(int)status}.",
                cancellationToken);
        }
    }

    private static async Task<byte[]> InvokeAsync<TContext>(IHttpApplication<TContext> application, Invocation invocation, GatewayRequest request)
        where TContext : notnull
    {
        using var response = new LambdaResponseFeature();
        var context = application.CreateContext(InvocationFeatures(invocation, request, response));
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context);
            await response.CompleteAsync();
        }
        catch (Exception exception)
        {
            failure = exception;
            throw;
        }
        finally
        {
            application.DisposeContext(context, failure);
            await response.RunCompletedCallbacksAsync();
        }
        return ApiGatewayEvents.WriteResponse(request.Version, response.StatusCode, response.Headers, response.BodyBytes);
    }

    /// <summary>
    /// Answers a body over <see cref="MaxRequestBodyBytes"/> with a 413 problem, written by the same problem details
    /// service as every other problem (so its type, title, trace id and correlation id are the same), without running
    /// the pipeline: no middleware, no authentication, no endpoint sees the body.
    /// </summary>
    private async Task<byte[]> RefuseTooLargeAsync(Invocation invocation, GatewayRequest request)
    {
        LogBodyTooLarge(logger, invocation.RequestId, request.Body.Length);
        using var response = new LambdaResponseFeature();
        var http = new DefaultHttpContext(InvocationFeatures(invocation, request, response));
        var correlationId = LambdaHosting.CorrelationIdOf(http, request.ApiGatewayRequestId);
        CorrelationId.Apply(http, correlationId);
        http.Response.Headers[CorrelationId.HeaderName] = correlationId;
        await problems.TryWriteAsync(http, StatusCodes.Status413PayloadTooLarge,
            $"The request body is {request.Body.Length} bytes; at most {MaxRequestBodyBytes} are accepted.");
        await response.CompleteAsync();
        return ApiGatewayEvents.WriteResponse(request.Version, response.StatusCode, response.Headers, response.BodyBytes);
    }

    /// <summary>An invocation's request and response as the features Kestrel would give a connection's request.</summary>
    private static FeatureCollection InvocationFeatures(Invocation invocation, GatewayRequest request, LambdaResponseFeature response)
    {
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(new HttpRequestFeature
        {
            Protocol = "HTTP/1.1",
            Scheme = "https",
            Method = request.Method,
            PathBase = request.PathBase,
            Path = request.Path,
            QueryString = request.QueryString,
            RawTarget = request.PathBase + request.Path + request.QueryString,
            Headers = new HeaderDictionary(request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase)),
            Body = new MemoryStream(request.Body, writable: false),
        });
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(request.Body.Length > 0));
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = invocation.RequestId });
        // The caller's address as API Gateway saw it: each source has a budget of its own before its token is checked.
        features.Set<IHttpConnectionFeature>(new HttpConnectionFeature { RemoteIpAddress = request.SourceIp, ConnectionId = invocation.RequestId });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature());
        features.Set<ILambdaInvocationFeature>(new LambdaInvocationFeature(invocation.RequestId, invocation.Deadline, request.ApiGatewayRequestId));
        return features;
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {RequestId} is not an API Gateway event: {Reason}")]
    private static partial void LogInvalidEvent(ILogger logger, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Invocation {RequestId} refused: its body of {Bytes} bytes is over the limit")]
    private static partial void LogBodyTooLarge(ILogger logger, string requestId, int bytes);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} failed: an exception escaped the pipeline")]
    private static partial void LogUnhandledException(ILogger logger, string requestId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Lambda Runtime API refused the response to invocation {RequestId} with {Status}; reporting an error")]
    private static partial void LogResponseRefused(ILogger logger, string requestId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A call to the Lambda Runtime API failed; polling on")]
    private static partial void LogRuntimeApiCallFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Lambda Runtime API is gone ({Reason}); stopping.")]
    private static partial void LogRuntimeApiLost(ILogger logger, string reason);
}
