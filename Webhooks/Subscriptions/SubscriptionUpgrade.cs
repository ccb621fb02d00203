using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Challenge.Webhooks.Subscriptions;

/// <summary>
/// At start, brings the subscriptions made before this version up to it (<see cref="SubscriptionStore.UpgradeLegacyAsync"/>):
/// their secrets encrypted, their URLs keyed. Until it has, a legacy secret is read as it is; a round that fails (the
/// database away) is tried again a little later.
/// </summary>
public sealed partial class SubscriptionUpgrade(SubscriptionStore subscriptions, TimeProvider time, ILogger<SubscriptionUpgrade> logger) : BackgroundService
{
    private static readonly TimeSpan retryAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var upgraded = await subscriptions.UpgradeLegacyAsync(stoppingToken);
                if (upgraded > 0)
                {
                    LogUpgraded(logger, upgraded);
                }
                return;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception.Message);
                await Task.Delay(retryAfter, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Brought {Count} subscriptions made before this version up to it (secret encrypted, URL keyed)")]
    private static partial void LogUpgraded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upgrading the subscriptions made before this version failed; trying again shortly: {Reason}")]
    private static partial void LogFailed(ILogger logger, string reason);
}
