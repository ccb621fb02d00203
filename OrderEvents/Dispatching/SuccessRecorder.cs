using System.Threading.Channels;
using Challenge.Webhooks.Deliveries;

namespace Challenge.OrderEvents.Dispatching;

/// <summary>
/// Records an instance's successful attempts together: while one batch is written, the next gathers. Under load one
/// commit records the successes of many slots; idle, a success is written at once. An attempt's slot is freed only
/// once its success is recorded (until then its subscription counts it in flight).
/// </summary>
internal sealed class SuccessRecorder(DeliveryStore deliveries, string claimant)
{
    /// <summary>The most recorded in one transaction.</summary>
    private const int MaxBatch = 100;

    private readonly Channel<(ClaimedDelivery Delivery, Attempt Attempt, TaskCompletionSource Recorded)> waiting =
        Channel.CreateUnbounded<(ClaimedDelivery, Attempt, TaskCompletionSource)>(new() { SingleReader = true });

    /// <summary>Completes once the success is recorded; fails as the batch's transaction did.</summary>
    public Task RecordAsync(ClaimedDelivery delivery, Attempt attempt)
    {
        var recorded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!waiting.Writer.TryWrite((delivery, attempt, recorded)))
        {
            recorded.SetException(new InvalidOperationException("The dispatcher has stopped recording."));
        }
        return recorded.Task;
    }

    /// <summary>Writes batches until <see cref="Stop"/>, then what is left.</summary>
    public async Task RunAsync()
    {
        var batch = new List<(ClaimedDelivery Delivery, Attempt Attempt, TaskCompletionSource Recorded)>(MaxBatch);
        while (await waiting.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && waiting.Reader.TryRead(out var success))
            {
                batch.Add(success);
            }
            try
            {
                await deliveries.RecordDeliveredAsync(batch.ConvertAll(s => (s.Delivery, s.Attempt)), claimant, CancellationToken.None);
                batch.ForEach(s => s.Recorded.SetResult());
            }
            catch (Exception exception)
            {
                batch.ForEach(s => s.Recorded.SetException(exception));
            }
            batch.Clear();
        }
    }

    /// <summary>No more successes come: <see cref="RunAsync"/> ends once it has written those already given.</summary>
    public void Stop() => waiting.Writer.Complete();
}
