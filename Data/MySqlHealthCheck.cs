using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;

namespace Challenge.Data;

/// <summary>
/// Readiness of a MySQL-compatible database, for the services (their own database) and the AppHost (the server it
/// runs) alike: it answers a ping within <see cref="MySqlDataSourceExtensions.HealthCheckTimeout"/>. The bound is the
/// check's own, not only a cancellation handed to the driver, which a frozen server may never acknowledge. One check
/// answers every caller for <see cref="ResultLifetime"/>, and callers that come while it runs share it: however many
/// probes arrive, the database is asked about once a second.
/// </summary>
/// <param name="forgetPooledConnections">What to do when the database is found gone: drop the pool's connections to it.</param>
/// <param name="open">Opens a connection to the database; null while it cannot be asked yet (not started, not initialised).</param>
public sealed class MySqlHealthCheck(Action forgetPooledConnections, Func<CancellationToken, Task<MySqlConnection?>> open, TimeProvider? time = null) : IHealthCheck
{
    public static readonly TimeSpan ResultLifetime = TimeSpan.FromSeconds(1);

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly Lock gate = new();
    private Task<HealthCheckResult>? last;
    private long lastStarted;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            if (last is null || clock.GetElapsedTime(lastStarted) >= ResultLifetime)
            {
                // Not the caller's token: the check is every caller's, and its own timeout bounds it.
                last = CheckAsync();
                lastStarted = clock.GetTimestamp();
            }
            return last.WaitAsync(cancellationToken);
        }
    }

    private async Task<HealthCheckResult> CheckAsync()
    {
        try
        {
            return await PingAsync().WaitAsync(MySqlDataSourceExtensions.HealthCheckTimeout, clock) switch
            {
                null => HealthCheckResult.Unhealthy("The database is not ready yet."),
                true => HealthCheckResult.Healthy(),
                false => HealthCheckResult.Unhealthy("The database did not answer a ping."),
            };
        }
        catch (TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"The database did not answer within {MySqlDataSourceExtensions.HealthCheckTimeout.TotalSeconds:0} s.");
        }
        catch (MySqlException exception)
        {
            if (DatabaseOutage.IsOutage(exception))
            {
                forgetPooledConnections();
            }
            return HealthCheckResult.Unhealthy("The database is unreachable.", exception);
        }
    }

    private async Task<bool?> PingAsync()
    {
        using var timeout = new CancellationTokenSource(MySqlDataSourceExtensions.HealthCheckTimeout, clock);
        await using var connection = await open(timeout.Token);
        return connection is null ? null : await connection.PingAsync(timeout.Token);
    }
}
