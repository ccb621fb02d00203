using System.Diagnostics;
using System.IO.Compression;

namespace Challenge.StackHarness.Lambda;

/// <summary>
/// The orchestrator running as a Lambda function against a <see cref="RuntimeApiEmulator"/>: the Native AOT
/// <c>bootstrap</c> extracted from the deployment zip (as Lambda would unpack it in /var/task), or the same code on
/// the JIT for comparison. It gets the orchestrator's configuration from the running stack.
/// </summary>
public sealed class LambdaFunction : IAsyncDisposable
{
    private static readonly Lazy<string> extracted = new(ExtractPackage);

    private LambdaFunction(RuntimeApiEmulator emulator, Process process, Stopwatch sinceSpawn)
    {
        Emulator = emulator;
        Process = process;
        SinceSpawn = sinceSpawn;
    }

    public RuntimeApiEmulator Emulator { get; }

    public Process Process { get; }

    /// <summary>Started when the process was spawned: a cold start is read off it at the first answer.</summary>
    public Stopwatch SinceSpawn { get; }

    public static string PackagePath => Path.Combine(SourceTree.Root, "artifacts", "orchestrator-lambda.zip");

    public static async Task<LambdaFunction> StartAsync(IReadOnlyDictionary<string, string> configuration, bool aot = true)
    {
        var emulator = await RuntimeApiEmulator.StartAsync();
        var start = aot
            ? new ProcessStartInfo(Path.Combine(extracted.Value, "bootstrap")) { WorkingDirectory = extracted.Value }
            : JitStart();
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (key, value) in configuration.Where(c => c.Key != "ASPNETCORE_URLS"))
        {
            start.Environment[key] = value;
        }
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = emulator.Endpoint;
        var clock = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new LambdaFunction(emulator, process, clock);
    }

    /// <summary>Resident memory of the function's process, in MiB.</summary>
    public double ResidentMiB() => ProcessAccounting.ResidentMiB(Process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill();
            await Process.WaitForExitAsync();
        }
        Process.Dispose();
        await Emulator.DisposeAsync();
    }

    private static ProcessStartInfo JitStart()
    {
        var folder = Path.Combine(SourceTree.Root, "OrchestratorLambda", "bin", SourceTree.Configuration, "net10.0");
        return new ProcessStartInfo("dotnet", [Path.Combine(folder, "OrchestratorLambda.dll")]) { WorkingDirectory = folder };
    }

    private static string ExtractPackage()
    {
        if (!File.Exists(PackagePath))
        {
            throw new FileNotFoundException($"{PackagePath} is missing: build it with scripts/package-lambda.sh (./test.sh does).");
        }
        var folder = Path.Combine(Path.GetTempPath(), $"lambda-task-{Guid.NewGuid():N}");
        ZipFile.ExtractToDirectory(PackagePath, folder);
        return folder;
    }
}
