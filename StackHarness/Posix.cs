using System.Globalization;
using System.Runtime.InteropServices;

namespace Challenge.StackHarness;

/// <summary>Signals for fault injection, sent to the real process of a resource.</summary>
internal static partial class Posix
{
    private const int SigKill = 9;
    private const int SigCont = 18;
    private const int SigStop = 19;

    /// <summary>Kills a process outright: no shutdown, in-flight requests die with it.</summary>
    public static void Kill(int pid) => Send(pid, SigKill);

    /// <summary>Freezes a process: its sockets still accept connections, but nothing answers.</summary>
    public static void Freeze(int pid) => Send(pid, SigStop);

    public static void Thaw(int pid) => Send(pid, SigCont);

    /// <summary>A process's arguments, joined by spaces (empty when it is gone).</summary>
    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static IEnumerable<int> ProcessesWhoseCommandLineHas(params string[] parts) =>
        Processes().Where(pid => CommandLine(pid) is var line && parts.All(part => line.Contains(part, StringComparison.Ordinal)));

    /// <summary>The processes whose parent is <paramref name="pid"/>.</summary>
    public static IEnumerable<int> ChildrenOf(int pid)
    {
        foreach (var candidate in Processes())
        {
            var folder = $"/proc/{candidate}";
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(folder, "stat"));
            }
            catch (IOException)
            {
                continue; // Gone meanwhile.
            }
            // Fields after the command name, which is in parentheses and may hold spaces: state [0], parent [1].
            var parent = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1];
            if (int.Parse(parent, CultureInfo.InvariantCulture) == pid)
            {
                yield return candidate;
            }
        }
    }

    private static IEnumerable<int> Processes() =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Select(name => int.TryParse(name, out var pid) ? pid : 0).Where(pid => pid > 0);

    private static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int kill(int pid, int signal);
}
