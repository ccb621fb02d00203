using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Challenge.ServiceDefaults.Hosting;

/// <summary>
/// Work every instance does in the background, once at start and then every <see cref="Period"/>. A round that fails
/// (the database down for a while, say) is logged and the next one tries again: nothing a round throws stops the
/// service. Each round is counted (<see cref="JobMetrics"/>), by job and outcome.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, JobMetrics metrics, ILogger logger) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    protected abstract TimeSpan Period { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, Time);
        do
        {
            var outcome = "completed";
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                outcome = "failed";
                LogRoundFailed(logger, GetType().Name, exception.Message);
            }
            metrics.Rounds.Add(1, new KeyValuePair<string, object?>("job", GetType().Name), new KeyValuePair<string, object?>("outcome", outcome));
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A round of {Job} failed; the next one tries again: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string job, string reason);
}

/// <summary>The background jobs' metrics (OpenTelemetry exports them beside ASP.NET Core's and the runtime's).</summary>
public sealed class JobMetrics(IMeterFactory meters)
{
    public const string MeterName = "Challenge.Jobs";

    /// <summary>Rounds of the background jobs, by <c>job</c> and <c>outcome</c> (completed, failed).</summary>
    public Counter<long> Rounds { get; } = meters.Create(MeterName).CreateCounter<long>("jobs.rounds", description: "Rounds of the background jobs.");
}

public static class PeriodicJobExtensions
{
    /// <summary>
    /// Runs <typeparamref name="TJob"/> in the background of this service, its rounds counted with every other job's; the
    /// job is a singleton too, so that what it does can be asked of it directly (a test's round, say).
    /// </summary>
    public static IServiceCollection AddPeriodicJob<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TJob>(
        this IServiceCollection services) where TJob : PeriodicJob
    {
        services.TryAddSingleton<JobMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(JobMetrics.MeterName));
        services.AddSingleton<TJob>();
        return services.AddHostedService(provider => provider.GetRequiredService<TJob>());
    }
}
