namespace Challenge.OrchestratorLambda.Lambda;

public enum PayloadVersion
{
    /// <summary>API Gateway REST APIs (and HTTP APIs set to 1.0).</summary>
    V1,

    /// <summary>API Gateway HTTP APIs.</summary>
    V2,
}
