using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MySqlConnector;

namespace Challenge.Data;

public static class MySqlDataSourceExtensions
{
    /// <summary>How long a statement waits for a row lock unless the service says otherwise.</summary>
    public static readonly TimeSpan DefaultLockWaitTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long opening a connection may take: a server that accepts the TCP connection but sends no greeting (a frozen
    /// process, a stuck disk) is given up on after this, whatever the request's own cancellation says.
    /// </summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long a statement may run beyond the row-lock wait it is allowed: past it the driver gives up on the server,
    /// so that no request outlives its request timeout waiting for a database that does not answer.
    /// </summary>
    public static readonly TimeSpan StatementGrace = TimeSpan.FromSeconds(2);

    /// <summary>How long readiness waits for the database: well within the 5 s a probe may take.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Registers the service's <see cref="Database"/>, pooled, from <c>ConnectionStrings:{name}</c>, with a readiness
    /// check and MySqlConnector's own traces and metrics: what Aspire's <c>AddMySqlDataSource</c> does.
    /// Every transaction of the service waits at most <paramref name="lockWaitTimeout"/> for a row lock.
    /// </summary>
    public static IHostApplicationBuilder AddMySqlDataSource(this IHostApplicationBuilder builder, string name,
        Func<IServiceProvider, TimeSpan>? lockWaitTimeout = null)
    {
        var connectionString = builder.Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{name} is missing (environment variable ConnectionStrings__{name}).");
        }
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .Validate(o => o.MaxPoolSize is >= 1 and <= 1000, "Database:MaxPoolSize must be between 1 and 1000.")
            .ValidateOnStart();
        builder.Services.AddSingleton(services =>
        {
            var settings = Settings(connectionString, services.GetRequiredService<IOptions<DatabaseOptions>>().Value);
            var seconds = (int)Math.Ceiling((lockWaitTimeout?.Invoke(services) ?? DefaultLockWaitTimeout).TotalSeconds);
            settings.DefaultCommandTimeout = (uint)(Math.Max(1, seconds) + StatementGrace.TotalSeconds);
            var dataSource = new MySqlDataSourceBuilder(settings.ConnectionString)
                .UseLoggerFactory(services.GetRequiredService<ILoggerFactory>())
                .UseConnectionOpenedCallback(async (context, cancellationToken) =>
                {
                    if (context.Conditions.HasFlag(MySqlConnectionOpenedConditions.New))
                    {
                        await using var command = new MySqlCommand($"SET SESSION innodb_lock_wait_timeout = {Math.Max(1, seconds)}", context.Connection);
                        await command.ExecuteNonQueryAsync(cancellationToken);
                    }
                });
            return new Database(dataSource.Build, services.GetRequiredService<TimeProvider>());
        });
        // Readiness asks on a connection of its own, outside the pool: probes never take a connection from requests, and
        // a pool that requests have filled does not make the service look down.
        builder.Services.AddSingleton(services =>
        {
            var probe = new MySqlConnectionStringBuilder(Settings(connectionString, services.GetRequiredService<IOptions<DatabaseOptions>>().Value).ConnectionString)
            {
                Pooling = false,
            }.ConnectionString;
            return new MySqlHealthCheck(services.GetRequiredService<Database>().ForgetPooledConnections, async cancellationToken =>
            {
                var connection = new MySqlConnection(probe);
                try
                {
                    await connection.OpenAsync(cancellationToken);
                    return connection;
                }
                catch
                {
                    await connection.DisposeAsync();
                    throw;
                }
            }, services.GetRequiredService<TimeProvider>());
        });
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            services => services.GetRequiredService<MySqlHealthCheck>(),
            HealthStatus.Unhealthy,
            ["ready"],
            HealthCheckTimeout));
        return builder;
    }

    private static MySqlConnectionStringBuilder Settings(string connectionString, DatabaseOptions options) => new(connectionString)
    {
        // DATETIME(3) columns hold UTC by contract; reading them as UTC keeps the Kind honest.
        DateTimeKind = MySqlDateTimeKind.Utc,
        // A pooled connection is not reset when it is taken again: that would be a round trip before every
        // request's first statement. What a reset would clear is never left behind instead: transactions end
        // with COMMIT or ROLLBACK, and the only session setting is set once, when the connection is opened.
        ConnectionReset = false,
        MaximumPoolSize = (uint)options.MaxPoolSize,
        // A database that hangs must not hang the requests: opening gives up after ConnectTimeout, a statement
        // after its lock wait and StatementGrace, and a cancelled statement (the request timed out) closes its
        // socket after a second if the server does not acknowledge the cancellation.
        ConnectionTimeout = (uint)ConnectTimeout.TotalSeconds,
        CancellationTimeout = 1,
    };
}
