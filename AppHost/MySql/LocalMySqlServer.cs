using System.Diagnostics;

namespace Challenge.AppHost.MySql;

/// <summary>
/// The files of a private MySQL-compatible server: which binary, where its data, socket and init script live.
/// The data folder is created (<c>mariadb-install-db</c> or <c>mysqld --initialize-insecure</c>) before the first
/// start; every start sets the root password of the run through <c>--init-file</c>.
/// </summary>
public sealed class LocalMySqlServer(ServerBinary binary, string resourceName)
{
    private readonly Lazy<string> runFolder = new(() => RunFolder.Create(resourceName));

    public ServerBinary Binary { get; } = binary;

    /// <summary>A folder that outlives the run (from <c>WithDataVolume</c>); else the files live as long as the run.</summary>
    public string? PersistentRoot { get; set; }

    /// <summary>The folder of the server's files.</summary>
    public string Root => PersistentRoot ?? runFolder.Value;

    public string Data => Path.Combine(Root, "data");

    public string InitScript => Path.Combine(Root, "init.sql");

    // A Unix socket path is limited to 107 bytes; a deep work tree falls back to the temp folder.
    public string Socket => Path.Combine(Root, "server.sock") is { Length: < 100 } path
        ? path
        : Path.Combine(Path.GetTempPath(), $"mysql-{(uint)Root.GetHashCode():x8}.sock");

    /// <summary>The server's arguments; <paramref name="port"/> is the port Aspire allocated to the endpoint.</summary>
    public IEnumerable<object> Arguments(object port)
    {
        object[] arguments =
        [
            "--no-defaults",
            $"--datadir={Data}",
            "--bind-address=127.0.0.1",
            "--port", port,
            $"--socket={Socket}",
            $"--init-file={InitScript}",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
            "--skip-name-resolve",
            "--max-connections=1000",
            "--innodb-buffer-pool-size=256M",
        ];
        return arguments.Concat(Binary.IsMariaDb ? [] : ["--mysqlx=OFF"]).Concat(IsRoot ? ["--user=root"] : []);
    }

    /// <summary>Creates the data folder when it does not exist yet, and writes the password of this run.</summary>
    public async Task PrepareAsync(string password, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(Path.Combine(Data, "mysql")))
        {
            await InitializeAsync(cancellationToken);
        }
        // TCP clients come from 127.0.0.1 (the server listens nowhere else), as root, like the container's root.
        var quoted = password.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal);
        await File.WriteAllTextAsync(InitScript, $"""
            CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '{quoted}';
            ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '{quoted}';
            GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
            """, cancellationToken);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(InitScript, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Data);
        var (program, arguments) = Binary.IsMariaDb
            ? (ServerBinary.Which("mariadb-install-db") ?? ServerBinary.Which("mysql_install_db")
                ?? throw new InvalidOperationException($"mariadb-install-db was not found beside {Binary.Path}."),
               new List<string> { "--no-defaults", $"--datadir={Data}", "--auth-root-authentication-method=socket", "--skip-test-db" })
            : (Binary.Path, new List<string> { "--no-defaults", "--initialize-insecure", $"--datadir={Data}" });
        if (IsRoot)
        {
            arguments.Add("--user=root");
        }
        using var installer = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = installer.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = installer.StandardError.ReadToEndAsync(cancellationToken);
        await installer.WaitForExitAsync(cancellationToken);
        if (installer.ExitCode != 0)
        {
            Directory.Delete(Data, recursive: true);
            throw new InvalidOperationException($"{program} failed ({installer.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    private static bool IsRoot => Environment.UserName == "root";
}
