using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Challenge.DevHost;

internal static partial class Posix
{
    private const int SigTerm = 15;
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>Asks a process to stop gracefully (Process.Kill sends SIGKILL, which is the fault injection).</summary>
    public static void Terminate(Process process)
    {
        if (!process.HasExited)
        {
            _ = kill(process.Id, SigTerm);
        }
    }

    /// <summary>Freezes a process (SIGSTOP): its sockets still accept connections, but nothing answers.</summary>
    public static void Freeze(Process process) => _ = kill(process.Id, SigStop);

    public static void Thaw(Process process) => _ = kill(process.Id, SigCont);

    /// <summary>SIGTERM, then SIGKILL if the process has not exited within <paramref name="grace"/>.</summary>
    public static async Task StopAsync(Process process, TimeSpan grace)
    {
        Terminate(process);
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public static bool IsRoot => geteuid() == 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
