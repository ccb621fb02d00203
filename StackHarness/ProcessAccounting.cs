using System.Globalization;

namespace Challenge.StackHarness;

/// <summary>The kernel's own accounting of a process: CPU time (user + system) and resident memory.</summary>
public static class ProcessAccounting
{
    // /proc/<pid>/stat counts in USER_HZ, which Linux fixes at 100 per second for user space.
    private const double MillisecondsPerTick = 10;

    public static double CpuMilliseconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the command name, which is in parentheses and may hold spaces: state is [0], utime [11], stime [12].
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * MillisecondsPerTick;
    }

    /// <summary>Peak resident memory since the process started (VmHWM), in MiB.</summary>
    public static double PeakResidentMiB(int pid) => StatusMiB(pid, "VmHWM:");

    public static double ResidentMiB(int pid) => StatusMiB(pid, "VmRSS:");

    /// <summary>The CPU each named group of processes (a service's replicas) has used so far, in milliseconds.</summary>
    public static Dictionary<string, double> CpuSnapshot(IReadOnlyDictionary<string, IReadOnlyList<int>> processes) =>
        processes.ToDictionary(p => p.Key, p => p.Value.Sum(CpuMilliseconds));

    private static double StatusMiB(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
