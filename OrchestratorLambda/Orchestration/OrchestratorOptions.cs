namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>The <c>Orchestrator</c> configuration section.</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>Kept back from a Lambda invocation's remaining time to send the answer.</summary>
    public static readonly TimeSpan AnswerMargin = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest one orchestration may take (in Lambda, also bounded by the invocation's remaining time).</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);
}
