using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Challenge.ServiceDefaults.Auth;

namespace Challenge.DevHost;

public sealed record DevStackOptions
{
    /// <summary>The repository root (the folder of <c>Challenge.sln</c>); found from the running assembly when null.</summary>
    public string? RepositoryRoot { get; init; }

    /// <summary>Where the secrets, the database files and the logs live.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>ASPNETCORE_ENVIRONMENT of every service. Outside Development, public endpoints need an operator token.</summary>
    public string Environment { get; init; } = "Development";

    /// <summary>Use the default ports of SPEC.md (3000-3002, database 3307) rather than free ones.</summary>
    public bool DefaultPorts { get; init; }

    /// <summary>Wipe the private database before starting.</summary>
    public bool Fresh { get; init; }

    /// <summary>The connection string of an existing server to use instead of a private one.</summary>
    public string? DatabaseServer { get; init; }

    /// <summary>Extra configuration for every service, e.g. <c>Orders__CancellationWindow</c>.</summary>
    public IReadOnlyDictionary<string, string> Configuration { get; init; } = new Dictionary<string, string>();

    /// <summary>Receives every log line, with the name of the resource that wrote it.</summary>
    public Action<string, string> Log { get; init; } = (_, _) => { };
}

/// <summary>
/// The running stack: database, init scripts and services, started in dependency order with the environment
/// Aspire would inject. Tests and benchmarks use it to reach, stop, kill and restart each resource.
/// </summary>
public sealed class DevStack : IAsyncDisposable
{
    private readonly DevStackOptions options;
    private readonly string root;
    private readonly Dictionary<string, ServiceProcess> services = [];

    private DevStack(DevStackOptions options, string root, DevSecrets secrets, DatabaseServer database)
    {
        this.options = options;
        this.root = root;
        Secrets = secrets;
        Database = database;
    }

    public DevSecrets Secrets { get; }

    public DatabaseServer Database { get; }

    public string Environment => options.Environment;

    /// <summary>The services this stack runs (a service whose project does not exist yet is left out).</summary>
    public IEnumerable<string> ServiceNames => services.Keys;

    public static async Task<DevStack> StartAsync(DevStackOptions options, CancellationToken cancellationToken = default)
    {
        var root = options.RepositoryRoot ?? FindRepositoryRoot();
        var secrets = DevSecrets.LoadOrCreate(options.DataDirectory);
        var database = options.DatabaseServer is { } external
            ? DatabaseServer.External(external, line => options.Log(StackResources.Database, line))
            : DatabaseServer.Private(Path.Combine(options.DataDirectory, "database"),
                options.DefaultPorts ? StackResources.DefaultDatabasePort : FreePort(),
                secrets.DatabasePassword, options.Fresh, line => options.Log(StackResources.Database, line));
        var stack = new DevStack(options, root, secrets, database);
        try
        {
            await database.StartAsync(cancellationToken);
            await database.ApplyScriptsAsync(Path.Combine(root, StackResources.InitScriptsFolder), cancellationToken);
            stack.CreateServices();
            // Every service becomes healthy on its own database; none waits for another, so they start together.
            await Task.WhenAll(stack.services.Values.Select(s => s.StartAsync(cancellationToken)));
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public Uri BaseAddress(string resource) => Service(resource).BaseAddress;

    public string ConnectionString(string database) => Database.ConnectionString(database);

    /// <summary>Stops a service, or the database (<see cref="StackResources.Database"/>), gracefully.</summary>
    public Task StopAsync(string resource) =>
        resource == StackResources.Database ? PrivateDatabase().StopAsync() : Service(resource).StopAsync();

    /// <summary>Kills a service or the database with SIGKILL.</summary>
    public Task KillAsync(string resource) =>
        resource == StackResources.Database ? PrivateDatabase().KillAsync() : Service(resource).KillAsync();

    /// <summary>Freezes a service (SIGSTOP) so that calls to it time out; <see cref="Thaw"/> lets it go on.</summary>
    public void Freeze(string resource) => Service(resource).Freeze();

    public void Thaw(string resource) => Service(resource).Thaw();

    /// <summary>Starts a stopped or killed resource again and waits until it is ready.</summary>
    public Task StartAsync(string resource, CancellationToken cancellationToken = default) =>
        resource == StackResources.Database ? PrivateDatabase().StartAsync(cancellationToken) : Service(resource).StartAsync(cancellationToken);

    /// <summary>
    /// Starts another instance of a service under <paramref name="instanceName"/>, on a free port, with its own
    /// environment and configuration overrides (e.g. a second key for a rotation, or another environment).
    /// </summary>
    public async Task<Uri> StartInstanceAsync(string resource, string instanceName, string? environment = null,
        IReadOnlyDictionary<string, string>? configuration = null, CancellationToken cancellationToken = default)
    {
        var definition = StackResources.Services.Single(s => s.Name == resource);
        var instance = CreateService(definition, instanceName, FreePort(), environment ?? options.Environment, configuration ?? new Dictionary<string, string>());
        services.Add(instanceName, instance);
        await instance.StartAsync(cancellationToken);
        return instance.BaseAddress;
    }

    /// <summary>A token signed with the stack's key (the seed's <c>generate:token</c>).</summary>
    public string CreateToken(string role, string audience, TimeSpan? expiresIn = null, TimeSpan? notBefore = null, string? issuer = null) =>
        TokenCommand.Create(Secrets, role, audience, expiresIn ?? TimeSpan.FromHours(1), notBefore ?? TimeSpan.Zero, issuer);

    /// <summary>The environment a service is started with, e.g. to run the same service another way (the Lambda bootstrap).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentOf(string resource) => Service(resource).Environment;

    /// <summary>The process of every running resource, the database server included (when it is private).</summary>
    public IReadOnlyDictionary<string, int> ProcessIds()
    {
        var ids = services.Where(s => s.Value.ProcessId is not null).ToDictionary(s => s.Key, s => s.Value.ProcessId!.Value);
        if (Database.ProcessId is { } database)
        {
            ids[StackResources.Database] = database;
        }
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        // Services first, so none of them sees its database disappear while shutting down.
        await Task.WhenAll(services.Values.Select(s => s.StopAsync()));
        await Database.DisposeAsync();
    }

    private void CreateServices()
    {
        foreach (var definition in StackResources.Services)
        {
            if (Directory.Exists(Path.Combine(root, definition.Project)))
            {
                var port = options.DefaultPorts ? definition.DefaultPort : FreePort();
                services.Add(definition.Name, CreateService(definition, definition.Name, port, options.Environment, options.Configuration));
            }
        }
    }

    private ServiceProcess CreateService(ServiceDefinition definition, string instanceName, int port, string environment,
        IReadOnlyDictionary<string, string> configuration)
    {
        var configurationName = typeof(DevStack).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var assembly = Path.Combine(root, definition.Project, "bin", configurationName, "net10.0", $"{definition.Project}.dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} does not exist: build the solution ({configurationName}) first.");
        }
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var variables = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = baseAddress.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = environment,
            ["DOTNET_ENVIRONMENT"] = environment,
            ["OTEL_SERVICE_NAME"] = definition.Name,
        };
        foreach (var database in definition.Databases)
        {
            variables[$"ConnectionStrings__{database}"] = Database.ConnectionString(database);
        }
        foreach (var reference in definition.References)
        {
            variables[$"services__{reference}__http__0"] = services[reference].BaseAddress.ToString().TrimEnd('/');
        }
        foreach (var (key, value) in Secrets.AuthEnvironment().Concat(options.Configuration).Concat(configuration))
        {
            variables[key] = value;
        }
        return new ServiceProcess(instanceName, assembly, baseAddress, variables, options.Log);
    }

    private ServiceProcess Service(string resource) =>
        services.TryGetValue(resource, out var service)
            ? service
            : throw new ArgumentException($"The stack runs no resource named '{resource}'.", nameof(resource));

    private DatabaseServer PrivateDatabase() => Database.IsPrivate
        ? Database
        : throw new InvalidOperationException("An external database server is never stopped or killed by the DevHost.");

    public static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Challenge.sln")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Challenge.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>A port nothing listens on now: the test stack never takes the defaults, so it runs beside ./run.sh.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
