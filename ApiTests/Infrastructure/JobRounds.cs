using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Challenge.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Challenge.ApiTests.Infrastructure;

/// <summary>
/// Counts the rounds of the Orders API hosts' background jobs, by host and job, from the hosts' own metric
/// (<see cref="JobMetrics.Rounds"/>), from before any host starts: a test knows that a round has run, instead of
/// sleeping and hoping it did.
/// </summary>
public sealed class JobRounds : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(object Scope, string Job), long> rounds = new();

    public JobRounds()
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == JobMetrics.MeterName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "job", Value: string job } && instrument.Meter.Scope is { } scope)
                {
                    rounds.AddOrUpdate((scope, job), value, (_, count) => count + value);
                }
            }
        });
        listener.Start();
    }

    /// <summary>The rounds <paramref name="host"/> has run of <paramref name="job"/> (a host's meters are scoped to its own meter factory).</summary>
    public long Of(IServiceHost host, string job) => rounds.GetValueOrDefault((host.Services.GetRequiredService<IMeterFactory>(), job));

    /// <summary>Waits until <paramref name="host"/> has run <paramref name="job"/> <paramref name="count"/> times in all (at most 30 s).</summary>
    public async Task WaitForAsync(IServiceHost host, string job, long count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Of(host, job) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{job} ran {Of(host, job)} rounds of the {count} awaited within 30 s.");
            await Task.Delay(20);
        }
    }

    public void Dispose() => listener.Dispose();
}
