using Microsoft.Extensions.Diagnostics.HealthChecks;
using MySqlConnector;

namespace Challenge.ServiceDefaults.Data;

/// <summary>
/// Readiness of a MySQL-compatible database, for the services (their own database) and the AppHost (the server it
/// runs) alike: it answers a ping within <see cref="MySqlDataSourceExtensions.HealthCheckTimeout"/>. The bound is the
/// check's own, not only a cancellation handed to the driver, which a frozen server may never acknowledge.
/// </summary>
/// <param name="open">Opens a connection to the database; null while it cannot be asked yet (not started, not initialised).</param>
public sealed class MySqlHealthCheck(Func<CancellationToken, Task<MySqlConnection?>> open) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            return await PingAsync(cancellationToken).WaitAsync(MySqlDataSourceExtensions.HealthCheckTimeout, cancellationToken) switch
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
                DatabaseOutage.ForgetPooledConnections();
            }
            return HealthCheckResult.Unhealthy("The database is unreachable.", exception);
        }
    }

    private async Task<bool?> PingAsync(CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        return connection is null ? null : await connection.PingAsync(cancellationToken);
    }
}
