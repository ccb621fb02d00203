using System.Diagnostics;

namespace Challenge.AppHost.MySql;

/// <summary>A <c>mariadbd</c> or <c>mysqld</c> found on PATH (or in the usual sbin folders).</summary>
public sealed record ServerBinary(string Path, bool IsMariaDb)
{
    private static readonly string[] searchFolders = ["/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin", "/usr/bin"];

    public static ServerBinary? Find()
    {
        if (Which("mariadbd") is { } mariadb)
        {
            return new(mariadb, IsMariaDb: true);
        }
        return Which("mysqld") is { } mysql ? new(mysql, VersionOf(mysql).Contains("MariaDB", StringComparison.OrdinalIgnoreCase)) : null;
    }

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
        .Concat(searchFolders)
        .Select(folder => System.IO.Path.Combine(folder, name))
        .FirstOrDefault(File.Exists);

    private static string VersionOf(string path)
    {
        using var version = Process.Start(new ProcessStartInfo(path, "--version") { RedirectStandardOutput = true })!;
        var text = version.StandardOutput.ReadToEnd();
        version.WaitForExit();
        return text;
    }
}
