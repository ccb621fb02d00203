using Challenge.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;
using MySqlConnector;

namespace Challenge.UnitTests;

/// <summary>Readiness asks the database about once a second, however many probes come.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task ConcurrentProbesShareOneCheckAndItsResultLastsASecond()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var opened = 0;
        var check = new MySqlHealthCheck(() => { }, _ =>
        {
            Interlocked.Increment(ref opened);
            // Not ready yet: the check's answer without a database to ask.
            return Task.FromResult<MySqlConnection?>(null);
        }, clock);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => check.CheckHealthAsync(new HealthCheckContext()))));
        Assert.All(results, r => Assert.Equal(HealthStatus.Unhealthy, r.Status));
        Assert.Equal(1, opened);

        clock.Advance(TimeSpan.FromMilliseconds(900));
        await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(1, opened);

        clock.Advance(TimeSpan.FromMilliseconds(100));
        await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(2, opened);
    }
}
