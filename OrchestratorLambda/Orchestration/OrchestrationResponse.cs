namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>The consolidated answer. The envelope keeps the first version's names (<c>correlationId</c>), the data is snake_case.</summary>
public sealed record OrchestrationResponse(
    bool Success,
    [property: System.Text.Json.Serialization.JsonPropertyName("correlationId")] string CorrelationId,
    OrchestrationData Data);
