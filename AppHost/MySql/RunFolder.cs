namespace Challenge.AppHost.MySql;

/// <summary>
/// The data folder of a server whose data does not outlive the run (no <c>WithDataVolume</c>, as in the tests):
/// one folder per application under the temp folder, named after the AppHost's process. Folders of processes that are gone, even killed ones, are
/// deleted at the next start.
/// </summary>
internal static class RunFolder
{
    private const string Prefix = "aspire-mysql-";

    public static string Create(string resourceName)
    {
        var parent = Path.GetTempPath();
        foreach (var stale in Directory.EnumerateDirectories(parent, $"{Prefix}*"))
        {
            if (int.TryParse(Path.GetFileName(stale).Split('-')[2], out var pid) && !Directory.Exists($"/proc/{pid}"))
            {
                TryDelete(stale);
            }
        }
        // A test process may run several applications, one after the other or at once: each gets its own folder.
        var folder = Path.Combine(parent, $"{Prefix}{Environment.ProcessId}-{resourceName}-{Guid.NewGuid():N}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(folder);
        return folder;
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // In use by another process, or already gone: the next start tries again.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
