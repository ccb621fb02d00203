using System.Globalization;
using System.Text.Json.Nodes;
using Challenge.Bench;
using Challenge.StackHarness;
using Challenge.StackHarness.Lambda;
using MySqlConnector;

const string usage = """
    usage: dotnet run --project Bench -c Release -- [--all | --scenario NAME ...] [--duration S] [--warmup S] [--clients N]
      scenarios: db-limit, orchestrated-hot, orchestrated-spread, orders-hot, read-mix, events, events-hot, lambda-cold-start (--all: every one)
      --duration S   measured seconds per run (default 15); --warmup S (default 10); --clients N (default 16)
      --env KEY=VALUE  an environment variable for every service (to try a runtime setting), repeatable
      --proxied      put DCP's proxy in front of every service, as Aspire does by default (the AppHost does not)
      --replicas N   N instances of each service behind DCP's proxies (./run.sh --replicas N); CPU sums them
    It starts its own stack through the AppHost (Aspire's testing builder: private database, free ports), seeds it,
    runs the scenarios, checks the invariants, prints a table and writes artifacts/bench/results.json with its charts.
    """;

var selected = new HashSet<string>();
var duration = TimeSpan.FromSeconds(15);
// Tiered compilation and PGO keep recompiling hot paths for the first seconds of load: measured here, a 3 s
// warm-up doubled the CPU per orchestrated order, so the default waits longer before it measures.
var warmup = TimeSpan.FromSeconds(10);
var clients = 16;
var proxied = false;
var replicas = 1;
var serviceEnvironment = new Dictionary<string, string>
{
    ["Logging__LogLevel__Default"] = "Warning",
    // The benchmark measures capacity, not the per-caller limits: its load is one caller (anonymous, one address).
    ["RateLimits__ReadsPerSecond"] = "1000000",
    ["RateLimits__WritesPerSecond"] = "1000000",
};
string[] all = ["db-limit", "orchestrated-hot", "orchestrated-spread", "orders-hot", "read-mix", "events", "events-hot", "lambda-cold-start"];
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--all": selected.UnionWith(all); break;
        case "--scenario" when i + 1 < args.Length && all.Contains(args[i + 1]): selected.Add(args[++i]); break;
        case "--duration" when i + 1 < args.Length: duration = TimeSpan.FromSeconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--warmup" when i + 1 < args.Length: warmup = TimeSpan.FromSeconds(int.Parse(args[++i], CultureInfo.InvariantCulture)); break;
        case "--clients" when i + 1 < args.Length: clients = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--proxied": proxied = true; break;
        case "--replicas" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 8: replicas = n; i++; break;
        case "--env" when i + 1 < args.Length && args[i + 1].Split('=', 2) is [var key, var value]: serviceEnvironment[key] = value; i++; break;
        default: Console.Error.WriteLine(usage); return 2;
    }
}
if (selected.Count == 0)
{
    Console.Error.WriteLine(usage);
    return 2;
}
// The events scenario runs at half of orchestrated-hot's rate, so that one is measured first.
if (selected.Contains("events"))
{
    selected.Add("orchestrated-hot");
}
// Every HTTP ratio is to the database's own rate, so the database's limit is measured whenever HTTP is.
if (selected.Overlaps(["orchestrated-hot", "orchestrated-spread", "orders-hot"]))
{
    selected.Add("db-limit");
}

var output = Path.Combine(SourceTree.Root, "artifacts", "bench");
Directory.CreateDirectory(output);
var services = replicas > 1 ? $"{replicas} instances of each, behind DCP's proxies" : proxied ? "behind DCP's proxies" : "unproxied";
Console.Error.WriteLine($"Starting the stack through the AppHost (private database, free ports, services {services})...");
var stack = await RunningStack.StartAsync(new StackOptions
{
    // Development: the public endpoints take anonymous calls, so the load carries no tokens to mint.
    Environment = "Development",
    ServiceConfiguration = serviceEnvironment,
    ProxiedServices = proxied,
    Replicas = replicas,
    LogFile = Path.Combine(output, "stack.log"),
});
try
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
    HttpClient Client(string resource) => new(handler, disposeHandler: false) { BaseAddress = stack.BaseAddress(resource), Timeout = TimeSpan.FromSeconds(30) };
    async Task<MySqlDataSource> DatabaseAsync(string name) =>
        new MySqlDataSourceBuilder(new MySqlConnectionStringBuilder(await stack.ConnectionStringAsync(name)) { MaximumPoolSize = 256 }.ConnectionString).Build();
    await using var customersDb = await DatabaseAsync(RunningStack.CustomersDb);
    await using var ordersDb = await DatabaseAsync(RunningStack.OrdersDb);
    var target = new BenchTarget(Client(RunningStack.CustomersApi), Client(RunningStack.OrdersApi), Client(RunningStack.Orchestrator), customersDb, ordersDb);

    await DatabaseCounters.EnableAsync(ordersDb);
    Console.Error.WriteLine($"Seeding {BenchData.Rows:N0} customers and {BenchData.Rows:N0} products...");
    var data = await BenchData.SeedAsync(customersDb, ordersDb);
    var scenarios = new Scenarios(target, data);
    // The services, the database, and Aspire's orchestrator (DCP: its proxies run there when services are proxied).
    var processes = (await stack.ProcessIdsAsync())
        .Concat(RunningStack.OrchestratorProcessIds().Select(p => KeyValuePair.Create(p.Key, (IReadOnlyList<int>)[p.Value])))
        .ToDictionary();
    var machine = new JsonObject
    {
        ["cores"] = Environment.ProcessorCount,
        ["load_before"] = new JsonArray(File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => (JsonNode?)double.Parse(v, CultureInfo.InvariantCulture)).ToArray()),
        ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        ["runtime"] = Environment.Version.ToString(),
        ["started_at"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["services"] = services,
    };

    var figures = new List<ScenarioFigures>();
    var expectedOrders = new Dictionary<long, (long Successes, bool Confirmed)>();
    double? dbLimit = null;

    Dictionary<string, double> Cpu() => ProcessAccounting.CpuSnapshot(processes);

    async Task<RunResult> MeasureAsync(Func<Task<RunResult>> run, long? customer = null, bool confirmed = false)
    {
        var countersBefore = await DatabaseCounters.ReadAsync(ordersDb);
        var result = await run();
        var database = DatabaseCounters.PerRequest(countersBefore, await DatabaseCounters.ReadAsync(ordersDb), result.Total);
        if (!Console.IsErrorRedirected)
        {
            Console.Error.WriteLine();
        }
        var (before, after) = (result.CpuAtStart!, result.CpuAtEnd!);
        var cpu = processes.Keys.ToDictionary(p => p, p => (after[p] - before[p]) / Math.Max(1, result.Measured));
        // The product's own processes; DCP is the local orchestrator, shown apart (no such process in production).
        cpu["total"] = cpu.Where(p => !p.Key.StartsWith("dcp", StringComparison.Ordinal)).Sum(p => p.Value);
        figures.Add(new ScenarioFigures(result, result.Name == "db-limit" ? 1 : dbLimit is { } limit ? result.Throughput / limit : null, cpu, database));
        if (customer is { } c)
        {
            var previous = expectedOrders.GetValueOrDefault(c);
            expectedOrders[c] = (previous.Successes + result.Successes, confirmed);
        }
        return result;
    }

    if (selected.Contains("db-limit"))
    {
        dbLimit = (await MeasureAsync(() => LoadRunner.ClosedAsync("db-limit", clients, warmup, duration, scenarios.DatabaseLimitAsync, Cpu), data.DbCustomer)).Throughput;
    }
    JsonObject? events = null;
    if (selected.Contains("orchestrated-hot"))
    {
        var closed = await MeasureAsync(() => LoadRunner.ClosedAsync("orchestrated-hot", clients, warmup, duration, scenarios.OrchestratedHotAsync, Cpu),
            data.OrchestratedCustomer, confirmed: true);
        var half = Math.Max(1, closed.Throughput / 2);
        await MeasureAsync(() => LoadRunner.OpenAsync("orchestrated-hot@50%", half, warmup, duration, scenarios.OrchestratedHotAsync, Cpu),
            data.OrchestratedCustomer, confirmed: true);
        if (selected.Contains("events"))
        {
            events = await MeasureEventsAsync(half);
        }
    }
    JsonObject? eventsHot = null;
    if (selected.Contains("events-hot"))
    {
        eventsHot = await MeasureEventsHotAsync();
    }
    if (selected.Contains("orchestrated-spread"))
    {
        await MeasureAsync(() => LoadRunner.ClosedAsync("orchestrated-spread", clients, warmup, duration, scenarios.OrchestratedSpreadAsync, Cpu),
            data.SpreadCustomer, confirmed: true);
    }
    if (selected.Contains("orders-hot"))
    {
        await MeasureAsync(() => LoadRunner.ClosedAsync("orders-hot", clients, warmup, duration, scenarios.OrdersHotAsync, Cpu), data.OrdersCustomer);
    }
    if (selected.Contains("read-mix"))
    {
        await MeasureAsync(() => LoadRunner.ClosedAsync("read-mix", clients, warmup, duration, scenarios.ReadMixAsync, Cpu));
    }
    // A subscription of the orchestrated customer to a local receiver, ended with the run that made it.
    async Task<long> SubscribeAsync(EventReceiver receiver)
    {
        using var subscribed = await target.Orders.PostAsync("/webhooks", new StringContent(
            $$"""{"url":"{{receiver.Url}}","events":["order.created","order.confirmed"],"customer_id":{{data.OrchestratedCustomer}}}""",
            System.Text.Encoding.UTF8, "application/json"));
        subscribed.EnsureSuccessStatusCode();
        using var created = System.Text.Json.JsonDocument.Parse(await subscribed.Content.ReadAsStringAsync());
        return created.RootElement.GetProperty("id").GetInt64();
    }
    // Every event the subscription is owed (its customer's, of its types, since it was made), whether delivered yet or not.
    async Task<long> OwedAsync(long subscription)
    {
        await using var connection = await ordersDb.OpenConnectionAsync();
        await using var command = new MySqlConnector.MySqlCommand("""
            SELECT COUNT(*) FROM order_events e JOIN webhook_subscriptions s ON s.id = @subscription
            WHERE e.customer_id = s.customer_id AND e.occurred_at >= s.active_since AND FIND_IN_SET(e.type, s.events) > 0
            """, connection);
        command.Parameters.AddWithValue("@subscription", subscription);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
    // Waits until the receiver has every event the subscription is owed, or the deadline: how many it is owed.
    async Task<long> DrainAsync(EventReceiver receiver, long subscription, TimeSpan deadline)
    {
        var giveUp = DateTime.UtcNow + deadline;
        var owed = await OwedAsync(subscription);
        while (receiver.Count < owed && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(20);
        }
        return owed;
    }
    async Task UnsubscribeAsync(long subscription) => (await target.Orders.DeleteAsync($"/webhooks/{subscription}")).EnsureSuccessStatusCode();

    // The same open load with a subscriber for the customer: every orchestrated order's two events (created,
    // confirmed) delivered to a local receiver, and the delay from the change's commit to its arrival there.
    async Task<JsonObject> MeasureEventsAsync(double rate)
    {
        await using var receiver = await EventReceiver.StartAsync();
        var subscription = await SubscribeAsync(receiver);
        var started = DateTimeOffset.UtcNow;
        var run = await MeasureAsync(() => LoadRunner.OpenAsync("events@50%", rate, warmup, duration, scenarios.OrchestratedHotAsync, Cpu),
            data.OrchestratedCustomer, confirmed: true);
        var (from, to) = (started + warmup, started + warmup + duration);
        var expected = await DrainAsync(receiver, subscription, TimeSpan.FromSeconds(30));
        var count = receiver.Count;
        var (inWindow, delays) = receiver.Window(from, to);
        double Percentile(double p) => delays.Length == 0 ? double.NaN : delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(p / 100 * delays.Length) - 1)];
        var figures = new JsonObject
        {
            ["orders_per_second"] = Math.Round(run.Throughput, 1),
            ["events_expected"] = expected,
            ["events_delivered"] = (long)count,
            ["events_per_second"] = Math.Round(inWindow / duration.TotalSeconds, 1),
            ["delay_ms_p50"] = delays.Length == 0 ? null : Math.Round(Percentile(50), 1),
            ["delay_ms_p99"] = delays.Length == 0 ? null : Math.Round(Percentile(99), 1),
        };
        Console.Error.WriteLine($"events: {count} of {expected} delivered, {inWindow / duration.TotalSeconds:0.0}/s, delay p50 {Percentile(50):0.0} ms, p99 {Percentile(99):0.0} ms");
        await UnsubscribeAsync(subscription);
        return figures;
    }

    // The orchestrated closed load (the orders' full rate) with a subscriber for every order: does the dispatcher keep
    // up? Every event delivered, how soon after the load's end the backlog was drained, events per second, and the
    // dispatcher's CPU per event. Then the stack idle with the subscription still there: what an idle dispatcher costs
    // the database (its polls), in transactions and statements a second.
    async Task<JsonObject> MeasureEventsHotAsync()
    {
        await using var receiver = await EventReceiver.StartAsync();
        var subscription = await SubscribeAsync(receiver);
        var started = DateTimeOffset.UtcNow;
        var dispatcherBefore = Cpu()[RunningStack.OrderEvents];
        var run = await MeasureAsync(() => LoadRunner.ClosedAsync("events-hot", clients, warmup, duration, scenarios.OrchestratedHotAsync, Cpu),
            data.OrchestratedCustomer, confirmed: true);
        var loadEnded = DateTimeOffset.UtcNow;
        var expected = await DrainAsync(receiver, subscription, TimeSpan.FromSeconds(60));
        var dispatcherCpu = Cpu()[RunningStack.OrderEvents] - dispatcherBefore;
        var delivered = receiver.Count;
        var drainedMs = Math.Max(0, (receiver.LastArrival - loadEnded).TotalMilliseconds);
        var countersBefore = await DatabaseCounters.ReadAsync(ordersDb);
        var idle = TimeSpan.FromSeconds(10);
        await Task.Delay(idle);
        var idleCost = DatabaseCounters.PerRequest(countersBefore, await DatabaseCounters.ReadAsync(ordersDb), (long)idle.TotalSeconds);
        await UnsubscribeAsync(subscription);
        var figures = new JsonObject
        {
            ["orders_per_second"] = Math.Round(run.Throughput, 1),
            ["events_expected"] = expected,
            ["events_delivered"] = (long)delivered,
            ["events_per_second"] = Math.Round(delivered / (receiver.LastArrival - started).TotalSeconds, 1),
            ["drained_ms_after_load"] = Math.Round(drainedMs, 0),
            ["dispatcher_cpu_ms_per_event"] = Math.Round(dispatcherCpu / Math.Max(1, delivered), 3),
            ["idle_commits_per_second"] = Math.Round(idleCost["commits"], 2),
            ["idle_statements_per_second"] = Math.Round(idleCost["statements"], 1),
        };
        Console.Error.WriteLine($"events-hot: {delivered} of {expected} delivered, drained {drainedMs:0} ms after the load, " +
            $"dispatcher {dispatcherCpu / Math.Max(1, delivered):0.000} ms CPU per event; idle: {idleCost["commits"]:0.00} commits/s, {idleCost["statements"]:0.0} statements/s");
        return figures;
    }

    ColdStart? coldStart = null;
    if (selected.Contains("lambda-cold-start"))
    {
        coldStart = await MeasureColdStartsAsync(await stack.EnvironmentOfAsync(RunningStack.Orchestrator), runs: 20);
    }
    // Per instance: the largest of a service's replicas.
    var peak = processes.ToDictionary(p => p.Key, p => p.Value.Max(ProcessAccounting.PeakResidentMiB));

    var problems = await CorrectnessChecks.RunAsync(ordersDb, data, figures.Select(f => f.Run).ToList(), expectedOrders);
    var targets = Targets(figures, coldStart, peak, events, eventsHot);
    Report.PrintTable(figures, coldStart, peak);
    Console.WriteLine();
    foreach (var line in targets)
    {
        Console.WriteLine(line);
    }
    if (events is not null)
    {
        Console.WriteLine($"events at half of orchestrated-hot: {events.ToJsonString()}");
    }
    if (eventsHot is not null)
    {
        Console.WriteLine($"events at orchestrated-hot's full rate: {eventsHot.ToJsonString()}");
    }
    Report.WriteJson(Path.Combine(output, "results.json"), machine, figures, coldStart, peak, targets, events, eventsHot);
    Report.WriteCharts(output, figures);
    Console.WriteLine($"\nresults: {Path.Combine(output, "results.json")}, charts: throughput.png, latency-percentiles.png");
    if (problems.Count > 0)
    {
        Console.Error.WriteLine("\nCORRECTNESS CHECK FAILED: these figures are not a result.");
        problems.ForEach(p => Console.Error.WriteLine($"  {p}"));
        return 1;
    }
    Console.WriteLine("correctness: stock conserved on every product, one order per successful request, no 5xx.");
    return 0;
}
finally
{
    await stack.DisposeAsync();
}

static async Task<ColdStart?> MeasureColdStartsAsync(IReadOnlyDictionary<string, string> configuration, int runs)
{
    if (!File.Exists(LambdaFunction.PackagePath))
    {
        Console.Error.WriteLine($"lambda-cold-start skipped: {LambdaFunction.PackagePath} is missing (scripts/package-lambda.sh builds it).");
        return null;
    }
    const string alive = """{"version":"2.0","rawPath":"/alive","rawQueryString":"","headers":{},"requestContext":{"requestId":"bench","stage":"$default","http":{"method":"GET","path":"/alive"}},"isBase64Encoded":false}""";
    var aot = new List<double>();
    var jit = new List<double>();
    var resident = 0.0;
    for (var run = 0; run < runs; run++)
    {
        Console.Error.Write($"\r  lambda-cold-start          run {run + 1}/{runs}   ");
        foreach (var isAot in new[] { true, false })
        {
            await using var function = await LambdaFunction.StartAsync(configuration, isAot);
            var answer = await function.Emulator.InvokeAsync(alive, TimeSpan.FromSeconds(30));
            var elapsed = function.SinceSpawn.Elapsed.TotalMilliseconds;
            if (answer.IsError)
            {
                throw new InvalidOperationException($"The function failed its first invocation: {answer.Body}");
            }
            (isAot ? aot : jit).Add(elapsed);
            if (isAot)
            {
                resident = Math.Max(resident, function.ResidentMiB());
            }
        }
    }
    Console.Error.WriteLine();
    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
    return new ColdStart(Median(aot), Median(jit), resident, runs);
}

static List<string> Targets(List<ScenarioFigures> figures, ColdStart? coldStart, Dictionary<string, double> peak, JsonObject? events,
    JsonObject? eventsHot)
{
    var lines = new List<string>();
    var byName = figures.ToDictionary(f => f.Run.Name);
    void Check(string what, bool met, string measured) => lines.Add($"{(met ? "met " : "MISS")}  {what}: {measured}");
    if (byName.TryGetValue("orchestrated-hot", out var hot) && hot.RatioToDbLimit is { } hotRatio)
    {
        Check("orchestrated-hot >= 0.30 x db-limit", hotRatio >= 0.30, $"{hotRatio:0.00}");
        Check("orchestrated order CPU <= 3 ms in all", hot.CpuMsPerRequest["total"] <= 3, $"{hot.CpuMsPerRequest["total"]:0.00} ms");
        var db = hot.OrdersDbPerRequest;
        Check("orchestrated order <= 12 statements and 1 commit", db["statements"] <= 12.05 && db["commits"] <= 1.05,
            $"{db["statements"]:0.0} statements (+{db["driver_resets"]:0.0} driver resets), {db["commits"]:0.00} commits");
    }
    if (byName.TryGetValue("orchestrated-hot@50%", out var open))
    {
        Check("orchestrated-hot p99 at half its rate < 25 ms", open.Run.PercentileMs(99) < 25, $"{open.Run.PercentileMs(99):0.0} ms at {open.Run.TargetRate:0}/s");
    }
    if (byName.TryGetValue("orders-hot", out var orders) && orders.RatioToDbLimit is { } ordersRatio)
    {
        Check("orders-hot >= 0.50 x db-limit", ordersRatio >= 0.50, $"{ordersRatio:0.00}");
        Check("POST /orders <= 9 statements", orders.OrdersDbPerRequest["statements"] <= 9.05, $"{orders.OrdersDbPerRequest["statements"]:0.0}");
    }
    if (byName.TryGetValue("read-mix", out var reads) && reads.Run.Tagged.ContainsKey("deep-page"))
    {
        var ratio = reads.Run.PercentileMs(50, "deep-page") / reads.Run.PercentileMs(50, "first-page");
        Check("deep keyset page p50 <= 1.5 x first page", ratio <= 1.5, $"x{ratio:0.00}");
    }
    if (events is not null)
    {
        var (owed, sent) = ((long)events["events_expected"]!, (long)events["events_delivered"]!);
        Check("events@50%: every event delivered", sent >= owed, $"{sent} of {owed}");
        var p99 = (double?)events["delay_ms_p99"];
        Check("events@50% p99 from commit to arrival <= 250 ms", p99 <= 250, p99 is null ? "nothing delivered" : $"{p99:0.0} ms");
    }
    if (eventsHot is not null)
    {
        var (expected, delivered) = ((long)eventsHot["events_expected"]!, (long)eventsHot["events_delivered"]!);
        var drained = (double)eventsHot["drained_ms_after_load"]!;
        Check("events-hot: every event delivered, drained <= 5 s after the load", delivered >= expected && drained <= 5000,
            $"{delivered} of {expected}, drained {drained:0} ms after");
        var idle = (double)eventsHot["idle_commits_per_second"]!;
        Check("idle: no transaction per dispatcher poll (10 a second)", idle < 1, $"{idle:0.00} commits/s over the whole stack");
    }
    if (coldStart is not null)
    {
        Check("AOT cold start <= 0.25 x JIT", coldStart.AotMedianMs <= 0.25 * coldStart.JitMedianMs, $"x{coldStart.AotMedianMs / coldStart.JitMedianMs:0.00}");
        Check("AOT bootstrap resident < 40 MiB", coldStart.AotResidentMiB < 40, $"{coldStart.AotResidentMiB:0.0} MiB");
    }
    foreach (var api in peak.Where(p => p.Key is RunningStack.CustomersApi or RunningStack.OrdersApi or RunningStack.Orchestrator))
    {
        Check($"{api.Key} peak resident < 200 MiB", api.Value < 200, $"{api.Value:0} MiB");
    }
    return lines;
}
