using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MySqlConnector;

namespace Challenge.ServiceDefaults.Data;

public static class MySqlDataSourceExtensions
{
    /// <summary>
    /// Registers one pooled <see cref="MySqlDataSource"/> from <c>ConnectionStrings:{name}</c>, with a readiness
    /// check and MySqlConnector's own traces and metrics: what Aspire's <c>AddMySqlDataSource</c> does.
    /// </summary>
    public static IHostApplicationBuilder AddMySqlDataSource(this IHostApplicationBuilder builder, string name)
    {
        var connectionString = builder.Configuration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{name} is missing (environment variable ConnectionStrings__{name}).");
        }
        // DATETIME(3) columns hold UTC by contract; reading them as UTC keeps the Kind honest.
        var settings = new MySqlConnectionStringBuilder(connectionString) { DateTimeKind = MySqlDateTimeKind.Utc };

        builder.Services.AddSingleton(services => new MySqlDataSourceBuilder(settings.ConnectionString)
            .UseLoggerFactory(services.GetRequiredService<ILoggerFactory>())
            .Build());
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            name,
            services => new MySqlHealthCheck(services.GetRequiredService<MySqlDataSource>()),
            HealthStatus.Unhealthy,
            ["ready"],
            TimeSpan.FromSeconds(5)));
        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddSource("MySqlConnector"))
            .WithMetrics(metrics => metrics.AddMeter("MySqlConnector"));
        return builder;
    }
}

internal sealed class MySqlHealthCheck(MySqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            return await connection.PingAsync(cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("The database did not answer a ping.");
        }
        catch (MySqlException exception)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable.", exception);
        }
    }
}
