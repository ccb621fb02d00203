using Challenge.Contracts.Correlation;
using Challenge.ServiceDefaults;
using Microsoft.AspNetCore.Hosting.Server;

namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>
/// The one seam between the service and AWS Lambda: with <c>AWS_LAMBDA_RUNTIME_API</c> set, the same endpoints are
/// served from API Gateway events through <see cref="LambdaRuntimeServer"/> instead of Kestrel, and the function's
/// private key is read from Secrets Manager (<see cref="SecretsExtension"/>). The official
/// Amazon.Lambda.AspNetCoreServer.Hosting package could replace this folder in one change.
/// </summary>
public static class LambdaHosting
{
    public const string RuntimeApiVariable = "AWS_LAMBDA_RUNTIME_API";

    public static string? RuntimeApi => Environment.GetEnvironmentVariable(RuntimeApiVariable) is { Length: > 0 } api ? api : null;

    public static WebApplicationBuilder UseLambdaRuntimeWhenDeployed(this WebApplicationBuilder builder)
    {
        if (RuntimeApi is { } api)
        {
            builder.Services.AddSingleton(new RuntimeApiClient(api));
            builder.Services.AddSingleton<IServer, LambdaRuntimeServer>();
            builder.ReadSigningKeyFromSecretsManager();
        }
        return builder;
    }

    /// <summary>
    /// The correlation id of a request whose body names none: its valid <c>X-Correlation-Id</c> header, else API
    /// Gateway's request id, else the one already chosen for the request, else a new one.
    /// </summary>
    public static string CorrelationIdOf(HttpContext http, string? apiGatewayRequestId)
    {
        string? header = http.Request.Headers[CorrelationId.HeaderName];
        return CorrelationIds.IsValid(header) ? header! : apiGatewayRequestId ?? CorrelationId.Current ?? CorrelationId.New();
    }

    /// <summary>Runs the application; in Lambda, a failure to start is reported to the Runtime API's init error.</summary>
    public static async Task RunReportingInitErrorsAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
        }
        catch (Exception exception) when (RuntimeApi is { } api)
        {
            using var runtime = new RuntimeApiClient(api);
            await runtime.ReportInitErrorAsync(exception);
            throw;
        }
    }
}

internal sealed record LambdaInvocationFeature(string RequestId, DateTimeOffset Deadline, string? ApiGatewayRequestId) : ILambdaInvocationFeature;
