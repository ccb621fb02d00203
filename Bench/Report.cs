using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HdrHistogram;
using ScottPlot;

namespace Challenge.Bench;

/// <summary>One scenario's figures as the table and results.json give them.</summary>
/// <param name="OrdersDbPerRequest">ordersdb's server counters per request (statements, commits, lock waits), warm-up included.</param>
public sealed record ScenarioFigures(RunResult Run, double? RatioToDbLimit, IReadOnlyDictionary<string, double> CpuMsPerRequest,
    IReadOnlyDictionary<string, double> OrdersDbPerRequest);

public sealed record ColdStart(double AotMedianMs, double JitMedianMs, double AotResidentMiB, int Runs);

/// <summary>Prints the table and writes artifacts/bench/results.json and its charts.</summary>
public static class Report
{
    private static readonly double[] percentiles = [50, 90, 99, 99.9, 99.99];

    public static void PrintTable(IReadOnlyList<ScenarioFigures> figures, ColdStart? coldStart, IReadOnlyDictionary<string, double> peakMiB)
    {
        Console.WriteLine();
        Console.WriteLine($"{"scenario",-26} {"load",11} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"errors",7} {"x db-limit",10} {"cpu ms/req",10}  cpu ms/req by process");
        foreach (var f in figures)
        {
            var load = f.Run.TargetRate is { } rate ? $"{rate:0}/s open" : $"{f.Run.Clients} clients";
            var perProcess = string.Join(", ", f.CpuMsPerRequest.Where(p => p.Key != "total").Select(p => $"{p.Key} {p.Value:0.00}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{f.Run.Name,-26} {load,11} {f.Run.Throughput,9:0.0} {f.Run.PercentileMs(50),8:0.00} {f.Run.PercentileMs(99),8:0.00} {f.Run.Errors,7} {(f.RatioToDbLimit is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "-"),10} {f.CpuMsPerRequest.GetValueOrDefault("total"),10:0.00}  {perProcess}"));
            var db = f.OrdersDbPerRequest;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {"database per request",-24} statements {db["statements"]:0.0} (+{db["driver_resets"]:0.0} driver resets), commits {db["commits"]:0.00}, rollbacks {db["rollbacks"]:0.00}, row-lock waits {db["row_lock_waits"]:0.00}, deadlocks {db["deadlocks"]:0.000}"));
            foreach (var tag in f.Run.Tagged.Keys.Order())
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {tag,-24} {"",11} {"",9} {f.Run.PercentileMs(50, tag),8:0.00} {f.Run.PercentileMs(99, tag),8:0.00}"));
            }
        }
        if (coldStart is not null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"lambda-cold-start (median of {coldStart.Runs}): AOT {coldStart.AotMedianMs:0} ms, JIT {coldStart.JitMedianMs:0} ms (x{coldStart.AotMedianMs / coldStart.JitMedianMs:0.00}), AOT resident {coldStart.AotResidentMiB:0.0} MiB"));
        }
        Console.WriteLine($"peak resident memory: {string.Join(", ", peakMiB.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:0} MiB")))}");
    }

    public static void WriteJson(string path, JsonObject machine, IReadOnlyList<ScenarioFigures> figures, ColdStart? coldStart,
        IReadOnlyDictionary<string, double> peakMiB, IReadOnlyList<string> targets, JsonObject? events,
        JsonObject? eventsHot)
    {
        var scenarios = new JsonArray();
        foreach (var f in figures)
        {
            var scenario = new JsonObject
            {
                ["name"] = f.Run.Name,
                ["clients"] = f.Run.Clients,
                ["target_rate_per_s"] = f.Run.TargetRate,
                ["duration_s"] = f.Run.Duration.TotalSeconds,
                ["requests"] = f.Run.Measured,
                ["throughput_per_s"] = Round(f.Run.Throughput),
                ["p50_ms"] = Round(f.Run.PercentileMs(50)),
                ["p90_ms"] = Round(f.Run.PercentileMs(90)),
                ["p99_ms"] = Round(f.Run.PercentileMs(99)),
                ["p999_ms"] = Round(f.Run.PercentileMs(99.9)),
                ["max_ms"] = Round(f.Run.Latency.GetMaxValue() / 1000.0),
                ["errors"] = f.Run.Errors,
                ["server_errors"] = f.Run.ServerErrors,
                ["ratio_to_db_limit"] = f.RatioToDbLimit is { } r ? Round(r) : null,
                ["cpu_ms_per_request"] = new JsonObject(f.CpuMsPerRequest.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Round(p.Value)))),
                ["database_per_request"] = new JsonObject(f.OrdersDbPerRequest.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Round(p.Value)))),
                ["throughput_per_second"] = new JsonArray(f.Run.PerSecond.Take((int)f.Run.Duration.TotalSeconds).Select(v => (JsonNode?)v).ToArray()),
            };
            if (f.Run.Tagged.Count > 0)
            {
                scenario["by_kind"] = new JsonObject(f.Run.Tagged.Keys.Order().Select(tag => KeyValuePair.Create(tag, (JsonNode?)new JsonObject
                {
                    ["p50_ms"] = Round(f.Run.PercentileMs(50, tag)),
                    ["p99_ms"] = Round(f.Run.PercentileMs(99, tag)),
                })));
            }
            scenarios.Add(scenario);
        }
        var results = new JsonObject
        {
            ["machine"] = machine,
            ["scenarios"] = scenarios,
            ["lambda_cold_start"] = coldStart is null ? null : new JsonObject
            {
                ["aot_median_ms"] = Round(coldStart.AotMedianMs),
                ["jit_median_ms"] = Round(coldStart.JitMedianMs),
                ["aot_rss_mib"] = Round(coldStart.AotResidentMiB),
                ["runs"] = coldStart.Runs,
            },
            ["events"] = events,
            ["events_hot"] = eventsHot,
            ["peak_rss_mib"] = new JsonObject(peakMiB.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Round(p.Value)))),
            ["targets"] = new JsonArray(targets.Select(t => (JsonNode?)t).ToArray()),
        };
        File.WriteAllText(path, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Throughput over time and the latency percentile curve of every HTTP scenario.</summary>
    public static void WriteCharts(string folder, IReadOnlyList<ScenarioFigures> figures)
    {
        var throughput = new Plot();
        foreach (var f in figures)
        {
            var seconds = (int)f.Run.Duration.TotalSeconds;
            var line = throughput.Add.Scatter(Enumerable.Range(1, seconds).Select(s => (double)s).ToArray(),
                f.Run.PerSecond.Take(seconds).Select(v => (double)v).ToArray());
            line.LegendText = f.Run.Name;
        }
        throughput.Title("Throughput over time");
        throughput.XLabel("second of the measured window");
        throughput.YLabel("requests per second");
        throughput.ShowLegend(Alignment.UpperRight);
        throughput.SavePng(Path.Combine(folder, "throughput.png"), 1000, 560);

        var latency = new Plot();
        // x = log10(1 / (1 - p)): 50% at 0.3, 90% at 1, 99% at 2, 99.9% at 3...
        var positions = percentiles.Select(p => Math.Log10(1 / (1 - p / 100))).ToArray();
        foreach (var f in figures)
        {
            var line = latency.Add.Scatter(positions, percentiles.Select(p => f.Run.PercentileMs(p)).ToArray());
            line.LegendText = f.Run.Name;
        }
        latency.Axes.Bottom.SetTicks(positions, percentiles.Select(p => $"p{p.ToString(CultureInfo.InvariantCulture)}").ToArray());
        latency.Title("Latency by percentile");
        latency.YLabel("milliseconds");
        latency.ShowLegend(Alignment.UpperLeft);
        latency.SavePng(Path.Combine(folder, "latency-percentiles.png"), 1000, 560);
    }

    private static double? Round(double value) => double.IsFinite(value) ? Math.Round(value, 3) : null;
}
