using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Challenge.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Challenge.StackHarness;

/// <summary>
/// The AppHost's model run by Aspire's testing builder, made the test's own: free ports instead of 3000-3002 and
/// 3307, a database that lives and dies with the run, its own generated secrets, so that it runs beside a
/// developer's <c>./run.sh</c>. Faults go through Aspire (the stop and start commands) or, where Aspire has no such
/// thing, to the real process of the resource (SIGKILL, SIGSTOP).
/// </summary>
public sealed class RunningStack : IAsyncDisposable
{
    public const string Database = "mysql";
    public const string CustomersDb = "customersdb";
    public const string OrdersDb = "ordersdb";
    public const string CustomersApi = ServiceNames.CustomersApi;
    public const string OrdersApi = ServiceNames.OrdersApi;
    public const string Orchestrator = ServiceNames.Orchestrator;
    public const string OrderEvents = ServiceNames.OrderEvents;
    public const string OperatorConsole = ServiceNames.OperatorConsole;

    /// <summary>db-init: brings the databases to their latest version, then exits.</summary>
    public const string Migrator = "db-init";

    private static readonly TimeSpan startTimeout = TimeSpan.FromMinutes(3);
    private static readonly string[] mainResources = [Database, CustomersApi, OrdersApi, Orchestrator, OrderEvents];

    private readonly DistributedApplication app;
    private readonly ResourceNotificationService notifications;
    private readonly int replicas;
    /// <summary>The console's data protection keys of this run (<see cref="StackOptions.WithConsole"/>), deleted with the stack.</summary>
    private readonly DirectoryInfo? consoleKeys;

    private RunningStack(DistributedApplication app, IReadOnlyDictionary<string, SigningKey> keys, string environment, int replicas, DirectoryInfo? consoleKeys)
    {
        this.app = app;
        this.consoleKeys = consoleKeys;
        this.replicas = replicas;
        notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        SigningKeys = keys;
        Environment = environment;
    }

    /// <summary>The private key of each of the AppHost's key holders: the operator's, and each calling service's own.</summary>
    public IReadOnlyDictionary<string, SigningKey> SigningKeys { get; }

    public string Environment { get; }

    public static async Task<RunningStack> StartAsync(StackOptions options, CancellationToken cancellationToken = default)
    {
        var keys = options.SigningKeys ?? LocalStack.Signers.ToDictionary(signer => signer, _ => SigningKey.Generate());
        // Every secret parameter of the AppHost is given, so that none is generated, nor kept in a developer's user secrets.
        List<string> args =
        [
            $"--environment={options.Environment}",
            $"Replicas={options.Replicas}",
            $"Parameters:{Database}-password={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}",
            .. keys.Select(k => $"Parameters:{LocalStack.SigningKeyParameter(k.Key)}={k.Value.PrivateKey}"),
            $"Parameters:{LocalStack.KeyRingCertificateParameter}={Webhooks.Signing.KeyRingCertificate.Generate()}",
        ];
        if (options.TelemetryEndpoint is { } telemetry)
        {
            args.Add($"ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={telemetry}");
        }
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>([.. args], cancellationToken);
        var consoleKeys = options.WithConsole ? Directory.CreateTempSubdirectory("challenge-console-keys-") : null;
        MakeOwn(builder, options, consoleKeys);
        if (options.LogFile is { } path)
        {
            builder.Services.AddLogging(logging => logging.AddProvider(new StackLog(path)));
        }

        var app = await builder.BuildAsync(cancellationToken);
        var stack = new RunningStack(app, keys, options.Environment, options.Replicas, consoleKeys);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(startTimeout);
            await app.StartAsync(timeout.Token);
            foreach (var resource in options.DatabaseOnly ? [Database] : options.WithConsole ? [.. mainResources, OperatorConsole] : mainResources)
            {
                await stack.notifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            }
            await stack.WaitForMigrationsAsync(timeout.Token);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    public Uri BaseAddress(string resource) => app.GetEndpoint(resource, "http");

    /// <summary>Waits until the migrator has brought both databases to their latest version, and fails if it could not.</summary>
    private async Task WaitForMigrationsAsync(CancellationToken cancellationToken)
    {
        var finished = await notifications.WaitForResourceAsync(Migrator, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text),
            cancellationToken);
        if (finished.Snapshot.ExitCode is not 0)
        {
            throw new InvalidOperationException($"{Migrator} ended {finished.Snapshot.State?.Text} with exit code {finished.Snapshot.ExitCode}: see its log.");
        }
    }

    public async Task<string> ConnectionStringAsync(string database) =>
        await app.GetConnectionStringAsync(database) ?? throw new InvalidOperationException($"{database} has no connection string.");

    /// <summary>The environment DCP started a resource with, e.g. to run the same service another way (the Lambda bootstrap).</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentOfAsync(string resource)
    {
        var running = await notifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running);
        return running.Snapshot.EnvironmentVariables.Where(v => v.Value is not null).ToDictionary(v => v.Name, v => v.Value!);
    }

    /// <summary>Stops a resource gracefully, with Aspire's stop command, and waits until it has stopped.</summary>
    public async Task StopAsync(string resource)
    {
        await ExecuteAsync(resource, KnownResourceCommands.StopCommand);
        await notifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates);
    }

    /// <summary>Kills the real process of a resource (SIGKILL) and waits until Aspire has seen it die.</summary>
    public async Task KillAsync(string resource)
    {
        Posix.Kill(await ProcessIdAsync(resource));
        await notifications.WaitForResourceAsync(resource, KnownResourceStates.TerminalStates);
    }

    /// <summary>Starts a stopped or killed resource (or an instance not started yet) and waits until it is healthy.</summary>
    public async Task StartAsync(string resource)
    {
        await ExecuteAsync(resource, KnownResourceCommands.StartCommand);
        using var timeout = new CancellationTokenSource(startTimeout);
        await notifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    /// <summary>Starts one of <see cref="StackOptions.Instances"/> and returns its address.</summary>
    public async Task<Uri> StartInstanceAsync(string instance)
    {
        await StartAsync(instance);
        return BaseAddress(instance);
    }

    /// <summary>
    /// The real process of each running replica of a service, by replica id (<c>orders-api-abcdwxyz</c>), once all
    /// <paramref name="replicas"/> of them run.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> ReplicaProcessIdsAsync(string resource, int replicas)
    {
        using var timeout = new CancellationTokenSource(startTimeout);
        var ids = new Dictionary<string, int>();
        await foreach (var update in notifications.WatchAsync(timeout.Token))
        {
            if (update.Resource.Name == resource && update.Snapshot.State?.Text == KnownResourceStates.Running
                && update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is int pid)
            {
                ids[update.ResourceId] = pid;
                if (ids.Count == replicas)
                {
                    break;
                }
            }
        }
        // DCP starts a project as `dotnet run`, which runs the service as its child.
        return ids.ToDictionary(i => i.Key, i => Posix.ChildrenOf(i.Value).Single());
    }

    /// <summary>Kills one process outright (SIGKILL), e.g. one replica of <see cref="ReplicaProcessIdsAsync"/>.</summary>
    public static void Kill(int processId) => Posix.Kill(processId);

    /// <summary>Freezes the real process of a service (SIGSTOP): calls to it hang until <see cref="ThawAsync"/>.</summary>
    public async Task FreezeAsync(string resource) => Posix.Freeze(await ProcessIdAsync(resource));

    public async Task ThawAsync(string resource) => Posix.Thaw(await ProcessIdAsync(resource));

    /// <summary>The real processes of every main resource (one per replica), for the kernel's CPU and memory accounting.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<int>>> ProcessIdsAsync()
    {
        var ids = new Dictionary<string, IReadOnlyList<int>>();
        foreach (var resource in mainResources)
        {
            ids[resource] = replicas > 1 && resource != Database
                ? [.. (await ReplicaProcessIdsAsync(resource, replicas)).Values]
                : [await ProcessIdAsync(resource)];
        }
        return ids;
    }

    /// <summary>
    /// The processes of DCP, Aspire's orchestrator, that this process started (it watches its starter by pid):
    /// its API server and its controllers, where the endpoint proxies run.
    /// </summary>
    public static IReadOnlyDictionary<string, int> OrchestratorProcessIds()
    {
        var ids = new Dictionary<string, int>();
        foreach (var server in Posix.ProcessesWhoseCommandLineHas("start-apiserver", $"--monitor {System.Environment.ProcessId}"))
        {
            ids["dcp"] = server;
            foreach (var controllers in Posix.ChildrenOf(server).Where(child => Posix.CommandLine(child).Contains("run-controllers", StringComparison.Ordinal)))
            {
                ids["dcp-controllers"] = controllers;
            }
        }
        return ids;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        consoleKeys?.Delete(recursive: true);
    }

    /// <summary>
    /// The process that does the resource's work. DCP starts a project as <c>dotnet run</c>, which runs the service
    /// as its child: the child is the one to kill or freeze, and the one whose CPU counts.
    /// </summary>
    private async Task<int> ProcessIdAsync(string resource)
    {
        var running = await notifications.WaitForResourceAsync(resource, e => e.Snapshot.State?.Text == KnownResourceStates.Running);
        var pid = running.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value switch
        {
            int value => value,
            long value => (int)value,
            var value => int.Parse(value?.ToString() ?? "", System.Globalization.CultureInfo.InvariantCulture),
        };
        var isProject = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == resource) is ProjectResource;
        return isProject ? Posix.ChildrenOf(pid).Single() : pid;
    }

    private async Task ExecuteAsync(string resource, string command)
    {
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {resource} failed: {result.Message}");
        }
    }

    private static void MakeOwn(IDistributedApplicationTestingBuilder builder, StackOptions options, DirectoryInfo? consoleKeys)
    {
        if (options.DatabaseOnly)
        {
            foreach (var project in builder.Resources.OfType<ProjectResource>().Where(p => p.Name != Migrator).ToList())
            {
                builder.Resources.Remove(project);
            }
        }
        if (builder.Resources.OfType<ProjectResource>().SingleOrDefault(p => p.Name == OperatorConsole) is { } console)
        {
            if (consoleKeys is not null)
            {
                builder.CreateResourceBuilder(console).WithEnvironment("DataProtection__KeysFolder", consoleKeys.FullName);
            }
            else
            {
                builder.Resources.Remove(console);
            }
        }
        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            var service = builder.CreateResourceBuilder(project);
            foreach (var (name, value) in options.ServiceConfiguration)
            {
                service.WithEnvironment(name, value);
            }
        }
        // After the configuration above, which the instances inherit, so that their own overrides win.
        foreach (var instance in options.Instances)
        {
            AddInstance(builder, instance);
        }
        foreach (var resource in builder.Resources.ToList())
        {
            // Free ports, allocated by DCP, rather than the AppHost's fixed ones (a ./run.sh may hold those).
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                endpoint.Port = null;
                if (resource is ProjectResource or ExecutableResource)
                {
                    endpoint.TargetPort = null;
                }
                if (resource is ProjectResource)
                {
                    // Replicas are reached through DCP's proxy, which spreads the calls among them.
                    endpoint.IsProxied = options.ProxiedServices || options.Replicas > 1;
                }
            }
            switch (resource)
            {
                case { Name: Database }:
                    // No data volume: the database lives and dies with the run (Aspire's own annotation, whichever
                    // MySQL resource the AppHost declares: the official image's data path).
                    foreach (var volume in resource.Annotations.OfType<ContainerMountAnnotation>().Where(m => m.Target == "/var/lib/mysql").ToList())
                    {
                        resource.Annotations.Remove(volume);
                    }
                    break;
                case ProjectResource project when options.TelemetryEndpoint is null:
                    // Nothing receives telemetry in a test run that does not ask for it.
                    foreach (var exporter in project.Annotations.OfType<OtlpExporterAnnotation>().ToList())
                    {
                        project.Annotations.Remove(exporter);
                    }
                    break;
            }
        }
    }

    private static void AddInstance(IDistributedApplicationTestingBuilder builder, ServiceInstance instance)
    {
        var original = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == instance.Of);
        var copy = builder.AddProject(instance.Name, original.GetProjectMetadata().ProjectPath, project => project.ExcludeLaunchProfile = true)
            .WithHttpEndpoint(name: "http")
            .WithHttpHealthCheck("/health")
            .WithExplicitStart();
        // The original's configuration (connection strings, service addresses, keys, environment), then the overrides.
        foreach (var environment in original.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            copy.WithAnnotation(environment, ResourceAnnotationMutationBehavior.Append);
        }
        if (instance.Environment is { } name)
        {
            copy.WithEnvironment("ASPNETCORE_ENVIRONMENT", name);
        }
        foreach (var (key, value) in instance.Configuration ?? new Dictionary<string, string>())
        {
            copy.WithEnvironment(key, value);
        }
    }
}
