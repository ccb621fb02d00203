using System.Diagnostics;
using MySqlConnector;

namespace Challenge.DevHost;

/// <summary>
/// The MySQL-compatible server of the stack: a private <c>mariadbd</c>/<c>mysqld</c> from PATH with its own data
/// folder, port and socket (kept between runs), or an existing server given by a connection string.
/// </summary>
public sealed class DatabaseServer : IAsyncDisposable
{
    public const string UserName = "challenge";

    private static readonly string[] searchFolders = ["/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin", "/usr/bin"];

    private readonly string? dataDirectory;
    private readonly bool fresh;
    private readonly Action<string> log;
    private readonly MySqlConnectionStringBuilder server;
    private Process? process;

    private DatabaseServer(MySqlConnectionStringBuilder server, string? dataDirectory, bool fresh, Action<string> log)
    {
        this.server = server;
        this.dataDirectory = dataDirectory;
        this.fresh = fresh;
        this.log = log;
    }

    /// <summary>
    /// A private server on 127.0.0.1:<paramref name="port"/>, its files under <paramref name="dataDirectory"/>,
    /// wiped first when <paramref name="fresh"/>.
    /// </summary>
    public static DatabaseServer Private(string dataDirectory, int port, string password, bool fresh, Action<string> log) => new(
        new MySqlConnectionStringBuilder { Server = "127.0.0.1", Port = (uint)port, UserID = UserName, Password = password },
        dataDirectory, fresh, log);

    /// <summary>An existing server (its user must be allowed to create databases); it is never stopped or killed.</summary>
    public static DatabaseServer External(string connectionString, Action<string> log) =>
        new(new MySqlConnectionStringBuilder(connectionString) { Database = "" }, null, fresh: false, log);

    public bool IsPrivate => dataDirectory is not null;

    /// <summary>The private server's process id while it runs.</summary>
    public int? ProcessId => process is { HasExited: false } running ? running.Id : null;

    public string Endpoint => $"{server.Server}:{server.Port}";

    /// <summary>The connection string of one database, in the shape Aspire gives its MySQL databases.</summary>
    public string ConnectionString(string database) => new MySqlConnectionStringBuilder(server.ConnectionString)
    {
        Database = database,
        ConnectionTimeout = 5,
    }.ConnectionString;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (IsPrivate)
        {
            var files = new ServerFiles(dataDirectory!);
            var binary = ServerBinary.Find();
            await StopStaleServerAsync(files);
            if (fresh && Directory.Exists(files.Root))
            {
                log($"--fresh: deleting {files.Root}");
                Directory.Delete(files.Root, recursive: true);
            }
            if (!Directory.Exists(Path.Combine(files.Data, "mysql")))
            {
                await InitializeAsync(binary, files, cancellationToken);
            }
            Directory.CreateDirectory(files.Root);
            await File.WriteAllTextAsync(files.InitScript, $"""
                CREATE USER IF NOT EXISTS '{UserName}'@'%' IDENTIFIED BY '{server.Password}';
                ALTER USER '{UserName}'@'%' IDENTIFIED BY '{server.Password}';
                GRANT ALL PRIVILEGES ON *.* TO '{UserName}'@'%';
                """, cancellationToken);
            process = Start(binary, files);
        }
        await WaitUntilReadyAsync(cancellationToken);
    }

    /// <summary>Applies every <c>*.sql</c> of the init folder in name order (they are written to be re-runnable).</summary>
    public async Task ApplyScriptsAsync(string folder, CancellationToken cancellationToken)
    {
        await using var connection = new MySqlConnection(ConnectionString(""));
        await connection.OpenAsync(cancellationToken);
        foreach (var script in Directory.GetFiles(folder, "*.sql").Order(StringComparer.Ordinal))
        {
            await using var command = new MySqlCommand(await File.ReadAllTextAsync(script, cancellationToken), connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Stops the server gracefully (SIGTERM, then SIGKILL after 30 s).</summary>
    public async Task StopAsync()
    {
        if (process is null)
        {
            return;
        }
        await Posix.StopAsync(process, TimeSpan.FromSeconds(30));
        process = null;
    }

    /// <summary>Kills the server (SIGKILL): InnoDB recovers at the next start, as after a crash.</summary>
    public async Task KillAsync()
    {
        if (process is null)
        {
            return;
        }
        process.Kill();
        await process.WaitForExitAsync();
        process = null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task InitializeAsync(ServerBinary binary, ServerFiles files, CancellationToken cancellationToken)
    {
        log($"initializing a new {binary.Flavor} data folder in {files.Data}");
        Directory.CreateDirectory(files.Data);
        var (program, arguments) = binary.IsMariaDb
            ? (ServerBinary.FindInstaller(binary),
               new List<string> { "--no-defaults", $"--datadir={files.Data}", "--auth-root-authentication-method=socket", "--skip-test-db" })
            : (binary.Path, new List<string> { "--no-defaults", "--initialize-insecure", $"--datadir={files.Data}" });
        if (Posix.IsRoot)
        {
            arguments.Add("--user=root");
        }
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var installer = Process.Start(start)!;
        var output = installer.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = installer.StandardError.ReadToEndAsync(cancellationToken);
        await installer.WaitForExitAsync(cancellationToken);
        if (installer.ExitCode != 0)
        {
            Directory.Delete(files.Data, recursive: true);
            throw new InvalidOperationException($"{program} failed ({installer.ExitCode}):\n{await output}\n{await errors}");
        }
    }

    private Process Start(ServerBinary binary, ServerFiles files)
    {
        var arguments = new List<string>
        {
            "--no-defaults",
            $"--datadir={files.Data}",
            "--bind-address=127.0.0.1",
            $"--port={server.Port}",
            $"--socket={files.Socket}",
            $"--pid-file={files.PidFile}",
            $"--init-file={files.InitScript}",
            "--character-set-server=utf8mb4",
            "--collation-server=utf8mb4_unicode_ci",
            "--skip-name-resolve",
            "--max-connections=1000",
            "--innodb-buffer-pool-size=256M",
        };
        if (!binary.IsMariaDb)
        {
            arguments.Add("--mysqlx=OFF");
        }
        if (Posix.IsRoot)
        {
            arguments.Add("--user=root");
        }
        var start = new ProcessStartInfo(binary.Path, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        var started = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary.Path}.");
        started.OutputDataReceived += (_, e) => Forward(e.Data);
        started.ErrorDataReceived += (_, e) => Forward(e.Data);
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        return started;
    }

    /// <summary>The server's start-up notes are noise; warnings and errors are worth a line.</summary>
    private void Forward(string? line)
    {
        if (line is not null && !line.Contains("[Note]", StringComparison.Ordinal))
        {
            log(line);
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection(ConnectionString(""));
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline && process is not { HasExited: true })
            {
                await Task.Delay(200, cancellationToken);
            }
            catch (MySqlException exception)
            {
                throw new InvalidOperationException(
                    $"The database server at {Endpoint} did not accept connections: {exception.Message}", exception);
            }
        }
    }

    /// <summary>A server left running by a DevHost that was killed would hold the data folder and the port.</summary>
    private async Task StopStaleServerAsync(ServerFiles files)
    {
        if (!File.Exists(files.PidFile) || !int.TryParse(File.ReadAllText(files.PidFile).Trim(), out var pid))
        {
            return;
        }
        try
        {
            using var stale = Process.GetProcessById(pid);
            if (stale.ProcessName is "mariadbd" or "mysqld")
            {
                log($"stopping a database server left running by an earlier run (pid {pid})");
                Posix.Terminate(stale);
                await stale.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (ArgumentException)
        {
            // No such process any more: the pid file is just stale.
        }
    }

    private sealed record ServerFiles(string Root)
    {
        public string Data => Path.Combine(Root, "data");
        public string PidFile => Path.Combine(Root, "server.pid");
        public string InitScript => Path.Combine(Root, "init.sql");
        // A Unix socket path is limited to 107 bytes; a deep work tree falls back to the temp folder.
        public string Socket => Path.Combine(Root, "server.sock") is { Length: < 100 } path
            ? path
            : Path.Combine(Path.GetTempPath(), $"challenge-{(uint)Root.GetHashCode():x8}.sock");
    }

    private sealed record ServerBinary(string Path, bool IsMariaDb)
    {
        public string Flavor => IsMariaDb ? "MariaDB" : "MySQL";

        public static ServerBinary Find()
        {
            foreach (var name in new[] { "mariadbd", "mysqld" })
            {
                if (Which(name) is { } path)
                {
                    return new(path, name == "mariadbd" || VersionOf(path).Contains("MariaDB", StringComparison.OrdinalIgnoreCase));
                }
            }
            throw new InvalidOperationException(
                "No MySQL-compatible server found: install MariaDB 10.11+ (apt-get install mariadb-server) or MySQL 8, " +
                "or pass --database-server with the connection string of an existing server.");
        }

        public static string FindInstaller(ServerBinary binary) =>
            Which("mariadb-install-db") ?? Which("mysql_install_db")
            ?? throw new InvalidOperationException($"mariadb-install-db was not found beside {binary.Path}.");

        private static string? Which(string name) =>
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
}
