using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>
/// An ASP.NET Core server whose requests come from the Lambda Runtime API instead of a socket: each invocation's
/// API Gateway event becomes an HttpContext that runs through the very pipeline Kestrel would run (middleware,
/// routing, endpoints), and the response goes back as the event's answer.
/// </summary>
internal sealed partial class LambdaRuntimeServer(RuntimeApiClient runtime, IHostApplicationLifetime lifetime, ILogger<LambdaRuntimeServer> logger)
    : IServer
{
    private const string TraceVariable = "_X_AMZN_TRACE_ID";

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

    private async Task PollAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var invocation = await runtime.NextAsync(cancellationToken);
                Environment.SetEnvironmentVariable(TraceVariable, invocation.TraceId);
                if (!ApiGatewayEvents.TryRead(invocation.Payload, out var request, out var error))
                {
                    LogInvalidEvent(logger, invocation.RequestId, error);
                    await runtime.ReportErrorAsync(invocation.RequestId, "Runtime.InvalidEvent", error, cancellationToken);
                    continue;
                }
                var answer = await InvokeAsync(application, invocation, request);
                await runtime.RespondAsync(invocation.RequestId, answer, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException exception)
            {
                // The Runtime API is gone: the sandbox is being shut down, so this process ends too.
                LogRuntimeApiLost(logger, exception.Message);
                lifetime.StopApplication();
                return;
            }
        }
    }

    private static async Task<byte[]> InvokeAsync<TContext>(IHttpApplication<TContext> application, Invocation invocation, GatewayRequest request)
        where TContext : notnull
    {
        var requestFeature = new HttpRequestFeature
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
        };
        using var response = new LambdaResponseFeature();
        var features = new FeatureCollection();
        features.Set<IHttpRequestFeature>(requestFeature);
        features.Set<IHttpResponseFeature>(response);
        features.Set<IHttpResponseBodyFeature>(response);
        features.Set<IHttpRequestBodyDetectionFeature>(new BodyDetection(request.Body.Length > 0));
        features.Set<IHttpRequestIdentifierFeature>(new HttpRequestIdentifierFeature { TraceIdentifier = invocation.RequestId });
        features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature());
        features.Set<ILambdaInvocationFeature>(new LambdaInvocationFeature(invocation.RequestId, invocation.Deadline, request.ApiGatewayRequestId));

        var context = application.CreateContext(features);
        Exception? failure = null;
        try
        {
            await application.ProcessRequestAsync(context);
            await response.CompleteAsync();
        }
        catch (Exception exception)
        {
            // The pipeline's exception handler answers almost everything; this is what escaped it.
            failure = exception;
            response.StatusCode = StatusCodes.Status500InternalServerError;
            response.Headers.Clear();
        }
        application.DisposeContext(context, failure);
        await response.RunCompletedCallbacksAsync();
        return ApiGatewayEvents.WriteResponse(request.Version, response.StatusCode, response.Headers, failure is null ? response.BodyBytes : []);
    }

    private sealed class BodyDetection(bool canHaveBody) : IHttpRequestBodyDetectionFeature
    {
        public bool CanHaveBody => canHaveBody;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Invocation {RequestId} is not an API Gateway event: {Reason}")]
    private static partial void LogInvalidEvent(ILogger logger, string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Lambda Runtime API is unreachable ({Reason}); stopping.")]
    private static partial void LogRuntimeApiLost(ILogger logger, string reason);
}
