using System.Diagnostics;
using HdrHistogram;

namespace Challenge.Bench;

/// <summary>What one request came to: whether it succeeded, its status, and an optional tag to histogram apart.</summary>
public readonly record struct Outcome(bool Ok, int Status, string? Tag = null);

/// <summary>The measurements of one run of one scenario.</summary>
public sealed class RunResult(string name, int clients, double? targetRate, TimeSpan duration)
{
    // Microseconds, up to a minute, three significant digits.
    private static LongHistogram NewHistogram() => new(60_000_000, 3);

    public string Name { get; } = name;
    public int Clients { get; } = clients;
    public double? TargetRate { get; } = targetRate;
    public TimeSpan Duration { get; } = duration;
    public LongHistogram Latency { get; } = NewHistogram();
    public Dictionary<string, LongHistogram> Tagged { get; } = [];
    public long[] PerSecond { get; } = new long[(int)Math.Ceiling(duration.TotalSeconds) + 1];
    public long Measured { get; private set; }
    public long Total { get; private set; }
    public long Errors { get; private set; }
    public long ServerErrors { get; private set; }
    public long Successes => Total - ErrorsAll;
    public long ErrorsAll { get; private set; }

    /// <summary>CPU milliseconds of each process at the start and the end of the measured window.</summary>
    public Dictionary<string, double>? CpuAtStart { get; set; }

    public Dictionary<string, double>? CpuAtEnd { get; set; }

    public double Throughput => Measured / Duration.TotalSeconds;

    public double PercentileMs(double percentile, string? tag = null)
    {
        var histogram = tag is null ? Latency : Tagged[tag];
        return histogram.TotalCount == 0 ? double.NaN : histogram.GetValueAtPercentile(percentile) / 1000.0;
    }

    /// <summary>Records a request; only those that end in the measured window count towards latency and throughput.</summary>
    public void Record(Outcome outcome, long latencyMicros, TimeSpan? sinceMeasureStart)
    {
        lock (this)
        {
            Total++;
            if (!outcome.Ok)
            {
                ErrorsAll++;
            }
            if (sinceMeasureStart is not { } offset || offset < TimeSpan.Zero || offset >= Duration)
            {
                return;
            }
            Measured++;
            Latency.RecordValue(Math.Clamp(latencyMicros, 1, 59_999_999));
            if (outcome.Tag is { } tag)
            {
                if (!Tagged.TryGetValue(tag, out var tagged))
                {
                    Tagged[tag] = tagged = NewHistogram();
                }
                tagged.RecordValue(Math.Clamp(latencyMicros, 1, 59_999_999));
            }
            PerSecond[(int)offset.TotalSeconds]++;
            if (!outcome.Ok)
            {
                Errors++;
            }
            if (outcome.Status >= 500)
            {
                ServerErrors++;
            }
        }
    }
}

/// <summary>Drives a scenario's requests and measures them.</summary>
public static class LoadRunner
{
    /// <summary>
    /// Closed model, the maximum throughput: each client sends its next request as soon as the last one is
    /// answered. Latency runs from send to answer.
    /// </summary>
    public static async Task<RunResult> ClosedAsync(string name, int clients, TimeSpan warmup, TimeSpan duration,
        Func<int, CancellationToken, Task<Outcome>> request, Func<Dictionary<string, double>> cpu)
    {
        var result = new RunResult(name, clients, null, duration);
        var clock = Stopwatch.StartNew();
        var measureFrom = warmup;
        var stopAt = warmup + duration;
        using var reporting = Progress.Start(name, result, clock, warmup, duration);
        var window = MeasureCpuAsync(result, warmup, duration, cpu);
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            while (clock.Elapsed < stopAt)
            {
                var sent = clock.Elapsed;
                var outcome = await Safe(request, client);
                var answered = clock.Elapsed;
                result.Record(outcome, (long)(answered - sent).TotalMicroseconds, answered - measureFrom);
            }
        })));
        await window;
        return result;
    }

    /// <summary>
    /// Open model at a fixed arrival rate: requests are due at regular intervals whatever the service does, and each
    /// latency runs from when the request was due, so a stall shows in the percentiles instead of hiding in fewer
    /// requests (coordinated omission).
    /// </summary>
    public static async Task<RunResult> OpenAsync(string name, double rate, TimeSpan warmup, TimeSpan duration,
        Func<int, CancellationToken, Task<Outcome>> request, Func<Dictionary<string, double>> cpu)
    {
        var result = new RunResult(name, 0, rate, duration);
        var clock = Stopwatch.StartNew();
        var window = MeasureCpuAsync(result, warmup, duration, cpu);
        var interval = TimeSpan.FromSeconds(1 / rate);
        var stopAt = warmup + duration;
        var inFlight = new List<Task>();
        using var reporting = Progress.Start(name, result, clock, warmup, duration);
        for (var sequence = 0L; ; sequence++)
        {
            var due = interval * sequence;
            if (due >= stopAt)
            {
                break;
            }
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
            var client = (int)(sequence % 1024);
            inFlight.Add(Task.Run(async () =>
            {
                var outcome = await Safe(request, client);
                var answered = clock.Elapsed;
                result.Record(outcome, (long)(answered - due).TotalMicroseconds, due - warmup);
            }));
        }
        await Task.WhenAll(inFlight);
        await window;
        return result;
    }

    /// <summary>The kernel's CPU counters at the edges of the measured window: warm-up (JIT, pools) is left out.</summary>
    private static async Task MeasureCpuAsync(RunResult result, TimeSpan warmup, TimeSpan duration, Func<Dictionary<string, double>> cpu)
    {
        await Task.Delay(warmup);
        result.CpuAtStart = cpu();
        await Task.Delay(duration);
        result.CpuAtEnd = cpu();
    }

    private static async Task<Outcome> Safe(Func<int, CancellationToken, Task<Outcome>> request, int client)
    {
        try
        {
            return await request(client, CancellationToken.None);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or MySqlConnector.MySqlException)
        {
            return new Outcome(false, 0);
        }
    }
}

/// <summary>A line on stderr every second while a run goes on.</summary>
public static class Progress
{
    public static IDisposable Start(string name, RunResult result, Stopwatch clock, TimeSpan warmup, TimeSpan duration)
    {
        var total = warmup + duration;
        return new Timer(_ =>
        {
            var elapsed = clock.Elapsed;
            var phase = elapsed < warmup ? "warming up" : "measuring";
            var line = $"  {name,-24} {phase,-10} {elapsed.TotalSeconds,4:0}/{total.TotalSeconds:0} s  {result.Total,8:N0} requests  {result.ErrorsAll,5:N0} errors";
            if (Console.IsErrorRedirected)
            {
                if ((int)elapsed.TotalSeconds % 5 == 0)
                {
                    Console.Error.WriteLine(line);
                }
            }
            else
            {
                Console.Error.Write($"\r{line}   ");
            }
        }, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }
}
