using System.Collections.Concurrent;
using Challenge.Webhooks;
using Challenge.Webhooks.Deliveries;
using Microsoft.Extensions.Options;

namespace Challenge.OrderEvents.Dispatching;

/// <summary>
/// The loop of one instance: fan new events out, claim due deliveries as slots free up, and send each on its own, so
/// that a slow receiver holds one slot and nothing else. With nothing to claim, it looks again when one of its
/// attempts ends (a subscription has room again) or after <see cref="DispatcherOptions.PollInterval"/>, whichever
/// comes first. A failed round (the database away) is logged, and the next one tries again.
/// </summary>
public sealed partial class Dispatcher(DeliveryStore deliveries, WebhookSender sender, IOptions<DispatcherOptions> options,
    IOptions<WebhookOptions> webhooks, ILogger<Dispatcher> logger) : BackgroundService
{
    /// <summary>This instance, as its claims name it.</summary>
    private readonly string claimant = $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    private readonly ConcurrentDictionary<Task, bool> inFlight = new();

    /// <summary>Released as each attempt ends: what an idle loop waits for, besides the poll interval.</summary>
    private readonly SemaphoreSlim attemptEnded = new(0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.MaxConcurrentDeliveries);
        var successes = new SuccessRecorder(deliveries, claimant);
        var recording = successes.RunAsync();
        while (!stoppingToken.IsCancellationRequested)
        {
            var busy = false;
            try
            {
                busy = await deliveries.FanOutAsync(settings.BatchSize, webhooks.Value.GiveUpAfter, stoppingToken) > 0;
                var free = slots.CurrentCount;
                var claimed = free == 0 ? [] : await deliveries.ClaimAsync(claimant, Math.Min(free, settings.BatchSize), settings.Lease, stoppingToken);
                foreach (var delivery in claimed)
                {
                    await slots.WaitAsync(stoppingToken);
                    var work = DeliverAsync(delivery, successes, settings.AttemptTimeout);
                    inFlight[work] = true;
                    _ = work.ContinueWith(done =>
                    {
                        inFlight.TryRemove(done, out _);
                        slots.Release();
                        attemptEnded.Release();
                    }, TaskScheduler.Default);
                }
                busy |= claimed.Count > 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                LogRoundFailed(logger, exception.Message);
            }
            if (!busy)
            {
                await ((Task)attemptEnded.WaitAsync(settings.PollInterval, stoppingToken)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                while (attemptEnded.Wait(0, CancellationToken.None))
                {
                    // One look serves every attempt that ended meanwhile.
                }
            }
        }
        // Attempts under way finish (each within its timeout); an instance killed instead loses nothing but their leases' time.
        await Task.WhenAll(inFlight.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        successes.Stop();
        await recording;
    }

    /// <summary>One attempt: stopping the instance lets it finish, rather than cancel it and send it again after its lease.</summary>
    private async Task DeliverAsync(ClaimedDelivery delivery, SuccessRecorder successes, TimeSpan timeout)
    {
        try
        {
            var attempt = await sender.SendAsync(delivery, timeout);
            if (!attempt.Delivered)
            {
                LogAttemptFailed(logger, delivery.Id, delivery.Attempts, attempt.Error);
            }
            await (attempt.Delivered
                ? successes.RecordAsync(delivery, attempt)
                : deliveries.RecordFailureAsync(delivery, claimant, attempt, CancellationToken.None));
        }
        catch (Exception exception)
        {
            // The outcome could not be recorded: the lease runs out and the delivery is tried again (at least once).
            LogCompletionFailed(logger, delivery.Id, exception.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A dispatch round failed; the next one tries again: {Reason}")]
    private static partial void LogRoundFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {DeliveryId} failed its attempt {Attempt}: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, long deliveryId, int attempt, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The outcome of delivery {DeliveryId} was not recorded; it will be sent again: {Reason}")]
    private static partial void LogCompletionFailed(ILogger logger, long deliveryId, string reason);
}
