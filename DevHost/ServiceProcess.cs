using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Challenge.DevHost;

/// <summary>One service of the stack running as a child process, with the environment Aspire would give it.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private const int KeptLogLines = 200;

    private static readonly HttpClient probe = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly string assemblyPath;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly Action<string, string> log;
    private readonly Queue<string> recentLines = new();
    private Process? process;

    public ServiceProcess(string name, string assemblyPath, Uri baseAddress,
        IReadOnlyDictionary<string, string> environment, Action<string, string> log)
    {
        Name = name;
        BaseAddress = baseAddress;
        this.assemblyPath = assemblyPath;
        this.environment = environment;
        this.log = log;
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    public bool IsRunning => process is { HasExited: false };

    public IReadOnlyDictionary<string, string> Environment => environment;

    /// <summary>The process id while it runs (for the kernel's per-process CPU and memory accounting).</summary>
    public int? ProcessId => process is { HasExited: false } running ? running.Id : null;

    /// <summary>Starts the process and waits until its <c>/health</c> answers 200.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsRunning)
        {
            return;
        }
        var start = new ProcessStartInfo(DotnetHost(), [assemblyPath])
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        // Nothing inherited from the launcher's own environment may decide where the service listens.
        foreach (var inherited in new[] { "ASPNETCORE_HTTP_PORTS", "HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS", "HTTPS_PORTS" })
        {
            start.Environment.Remove(inherited);
        }
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Name}.");
        process.OutputDataReceived += (_, e) => Record(e.Data);
        process.ErrorDataReceived += (_, e) => Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilHealthyAsync(cancellationToken);
    }

    /// <summary>Stops gracefully (SIGTERM, as Ctrl-C or an orchestrator would), then SIGKILL after 15 s.</summary>
    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }
        await Posix.StopAsync(process, TimeSpan.FromSeconds(15));
        process.Dispose();
        process = null;
    }

    /// <summary>Kills the process (SIGKILL): no shutdown, in-flight requests die with it.</summary>
    public async Task KillAsync()
    {
        if (process is null)
        {
            return;
        }
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        process = null;
    }

    /// <summary>Freezes the process: calls to it hang, as to a service that stopped answering.</summary>
    public void Freeze() => Posix.Freeze(process ?? throw new InvalidOperationException($"{Name} is not running."));

    public void Thaw() => Posix.Thaw(process ?? throw new InvalidOperationException($"{Name} is not running."));

    /// <summary>The last lines the service wrote, for failure messages.</summary>
    private string RecentLog()
    {
        lock (recentLines)
        {
            return string.Join('\n', recentLines);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (recentLines)
        {
            if (recentLines.Count == KeptLogLines)
            {
                recentLines.Dequeue();
            }
            recentLines.Enqueue(line);
        }
        log(Name, line);
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var health = new Uri(BaseAddress, "/health");
        while (DateTime.UtcNow < deadline)
        {
            if (process is not { HasExited: false })
            {
                throw new InvalidOperationException($"{Name} exited during start-up:\n{RecentLog()}");
            }
            try
            {
                using var response = await probe.GetAsync(health, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe timed out; try again.
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new TimeoutException($"{Name} was not healthy at {health} within 60 s:\n{RecentLog()}");
    }

    /// <summary>The <c>dotnet</c> host of the runtime this program runs on, so the services run on the same one.</summary>
    private static string DotnetHost()
    {
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var host = Path.Combine(root, "dotnet");
        return File.Exists(host) ? host : "dotnet";
    }
}
