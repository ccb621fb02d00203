using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Challenge.Data;
using MySqlConnector;

namespace Challenge.AppHost.MySql;

/// <summary>
/// <c>AddMySql</c>, <c>AddDatabase</c> and <c>WithDataVolume</c> with Aspire.Hosting.MySql's
/// signatures, parameter (<c>{name}-password</c>, generated and kept) and connection strings, in a namespace of our
/// own. That package is not served to our machines yet. Where a container runtime answers, MySQL runs in its official
/// image; where none does, a private local server does the same job (configuration <c>MySql:Runtime</c> =
/// <c>container</c> or <c>local</c> overrides the choice). Switching to the package is adding it and removing the
/// using of this namespace from the AppHost (the test harness touches the server only through Aspire's own types),
/// and gives up the local server: the package runs MySQL in a container only.
/// </summary>
public static class MySqlBuilderExtensions
{
    private const string Image = "library/mysql";
    private const string ImageTag = "9.7";
    private const string ContainerDataPath = "/var/lib/mysql";

    public static IResourceBuilder<IMySqlServerResource> AddMySql(this IDistributedApplicationBuilder builder, string name,
        IResourceBuilder<ParameterResource>? password = null, int? port = null)
    {
        var passwordParameter = password?.Resource ?? ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password");
        var server = UseContainer(builder.Configuration)
            ? AddContainer(builder, name, passwordParameter, port)
            : AddLocalServer(builder, name, passwordParameter, port);
        var state = new ServerState();
        server.Resource.Annotations.Add(state);
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server.Resource, async (_, cancellationToken) =>
            state.ConnectionString = await server.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken));
        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, (ready, cancellationToken) =>
            InitializeAsync(server.Resource, state, ready.Services, cancellationToken));

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck,
            _ => new MySqlHealthCheck(MySqlConnection.ClearAllPools, cancellationToken => OpenAsync(state.ConnectionString, cancellationToken)), HealthStatus.Unhealthy, tags: null));
        return server.WithIconName("DatabaseMultiple").WithHealthCheck(healthCheck);
    }

    public static IResourceBuilder<MySqlDatabaseResource> AddDatabase(this IResourceBuilder<IMySqlServerResource> builder, string name,
        string? databaseName = null)
    {
        var database = new MySqlDatabaseResource(name, databaseName ?? name, builder.Resource);
        var state = builder.Resource.Annotations.OfType<ServerState>().Single();
        builder.Resource.DatabaseResources.Add(database);
        string? connectionString = null;
        builder.ApplicationBuilder.Eventing.Subscribe<ConnectionStringAvailableEvent>(database, async (_, cancellationToken) =>
            connectionString = await database.ConnectionStringExpression.GetValueAsync(cancellationToken));

        // Healthy once the server has created it: the migrator, which waits for it, never finds it missing.
        var healthCheck = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(healthCheck,
            _ => new MySqlHealthCheck(MySqlConnection.ClearAllPools, cancellationToken => OpenAsync(state.Initialized ? connectionString : null, cancellationToken)),
            HealthStatus.Unhealthy, tags: null));
        return builder.ApplicationBuilder.AddResource(database).WithIconName("Database").WithHealthCheck(healthCheck);
    }

    /// <summary>
    /// Keeps the server's data across runs, in a volume: a named volume for the container; for the local server, a
    /// folder under the AppHost's <c>.data/</c> (git-ignored), declared the same way, as a mount of the data path.
    /// </summary>
    public static IResourceBuilder<IMySqlServerResource> WithDataVolume(this IResourceBuilder<IMySqlServerResource> builder, string? name = null)
    {
        var volume = name ?? (builder.Resource is LocalMySqlServerResource ? $"{builder.Resource.Name}-data" : VolumeNameGenerator.Generate(builder, "data"));
        builder.WithAnnotation(new ContainerMountAnnotation(volume, ContainerDataPath, ContainerMountType.Volume, isReadOnly: false));
        return builder;
    }

    private static bool UseContainer(ConfigurationManager configuration) => configuration["MySql:Runtime"] switch
    {
        "container" => true,
        "local" => false,
        null or "" => ContainerRuntimeAnswers(configuration["ASPIRE_CONTAINER_RUNTIME"] ?? "docker"),
        var other => throw new InvalidOperationException($"MySql:Runtime is '{other}'; use 'container' or 'local', or leave it unset to choose by whether a container runtime answers."),
    };

    /// <summary>
    /// A container in the model without a runtime fails the whole start (after 30 s in tests), so the runtime is
    /// asked first: <c>docker info</c> (or podman's) answers at once either way.
    /// </summary>
    private static bool ContainerRuntimeAnswers(string runtime)
    {
        try
        {
            using var info = Process.Start(new ProcessStartInfo(runtime, "info") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (info is null)
            {
                return false;
            }
            info.StandardOutput.ReadToEndAsync();
            info.StandardError.ReadToEndAsync();
            if (!info.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                info.Kill();
                return false;
            }
            return info.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // Not installed.
        }
    }

    private static async Task<MySqlConnection?> OpenAsync(string? connectionString, CancellationToken cancellationToken)
    {
        if (connectionString is null)
        {
            return null;
        }
        var connection = new MySqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static IResourceBuilder<IMySqlServerResource> AddContainer(IDistributedApplicationBuilder builder, string name,
        ParameterResource password, int? port) =>
        builder.AddResource(new MySqlServerResource(name, password))
            .WithEndpoint(port: port, targetPort: 3306, name: MySqlConventions.PrimaryEndpointName)
            .WithImage(Image, ImageTag)
            .WithImageRegistry("docker.io")
            .WithEnvironment(context => context.EnvironmentVariables["MYSQL_ROOT_PASSWORD"] = password);

    private static IResourceBuilder<IMySqlServerResource> AddLocalServer(IDistributedApplicationBuilder builder, string name,
        ParameterResource password, int? port)
    {
        var binary = ServerBinary.Find() ?? throw new InvalidOperationException(
            "No container runtime answers and no MySQL-compatible server is on PATH: install MariaDB 10.11+ " +
            "(apt-get install mariadb-server) or MySQL 8, or start Docker or Podman.");
        var server = new LocalMySqlServer(binary, name);
        var resource = builder.AddResource(new LocalMySqlServerResource(name, password, server, builder.AppHostDirectory))
            // Every query of every service goes to this port: no proxy in between.
            .WithEndpoint(port: port, name: MySqlConventions.PrimaryEndpointName, scheme: "tcp", isProxied: false);
        var endpoint = resource.Resource.PrimaryEndpoint;
        resource.WithArgs(context =>
        {
            foreach (var argument in server.Arguments(endpoint.Property(EndpointProperty.TargetPort)))
            {
                context.Args.Add(argument);
            }
        });
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(resource.Resource, async (_, cancellationToken) =>
        {
            // The data volume, if it still has one (a test host removes it): a folder of the AppHost's that outlives the run.
            server.PersistentRoot = resource.Resource.Annotations.OfType<ContainerMountAnnotation>().FirstOrDefault(m => m.Target == ContainerDataPath)
                is { Source: { } volume } ? Path.Combine(builder.AppHostDirectory, ".data", volume) : null;
            Directory.CreateDirectory(server.Root);
            await server.PrepareAsync((await password.GetValueAsync(cancellationToken))!, cancellationToken);
        });
        return resource;
    }

    private static async Task InitializeAsync(IMySqlServerResource server, ServerState state, IServiceProvider services, CancellationToken cancellationToken)
    {
        // Each declared database is created, as Aspire.Hosting.MySql's AddDatabase does; db-init then migrates it.
        await using var connection = new MySqlConnector.MySqlConnection(state.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        foreach (var database in server.DatabaseResources)
        {
            await using var create = new MySqlCommand($"CREATE DATABASE IF NOT EXISTS {new MySqlCommandBuilder().QuoteIdentifier(database.DatabaseName)}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        state.Initialized = true;

        // Aspire passes a container's state on to its databases, not an executable's: say it here, for both, so
        // that the databases' health checks run and WaitFor(database) is released.
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        foreach (var database in server.DatabaseResources)
        {
            await notifications.PublishUpdateAsync(database, snapshot => snapshot with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        }
    }

    /// <summary>What the health checks of a server and its databases need to know of it.</summary>
    private sealed class ServerState : IResourceAnnotation
    {
        public string? ConnectionString { get; set; }

        public bool Initialized { get; set; }
    }
}
