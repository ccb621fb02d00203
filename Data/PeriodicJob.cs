using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Challenge.Data;

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
