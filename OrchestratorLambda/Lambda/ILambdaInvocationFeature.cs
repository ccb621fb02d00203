namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>The invocation a request came from: its ids and the time by which it must be answered.</summary>
public interface ILambdaInvocationFeature
{
    string RequestId { get; }

    DateTimeOffset Deadline { get; }

    /// <summary>API Gateway's own request id (<c>requestContext.requestId</c>), a fallback correlation id.</summary>
    string? ApiGatewayRequestId { get; }
}
