using System.Diagnostics.Metrics;

namespace Challenge.Data;

/// <summary>The background jobs' metrics (the service defaults export every <c>Challenge.*</c> meter).</summary>
public sealed class JobMetrics(IMeterFactory meters)
{
    public const string MeterName = "Challenge.Jobs";

    /// <summary>Rounds of the background jobs, by <c>job</c> and <c>outcome</c> (completed, failed).</summary>
    public Counter<long> Rounds { get; } = meters.Create(MeterName).CreateCounter<long>("jobs.rounds", description: "Rounds of the background jobs.");
}
