namespace Challenge.OrderEvents.Dispatching;

/// <summary>The <c>Dispatcher</c> configuration section.</summary>
public sealed class DispatcherOptions
{
    public const string Section = "Dispatcher";

    /// <summary>How long a receiver has to answer one attempt; past it the attempt failed and is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often an idle dispatcher looks for new events and due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Deliveries one instance has in flight at once; a slow receiver holds one of them, no more.</summary>
    public int MaxConcurrentDeliveries { get; set; } = 32;

    /// <summary>Events fanned out, or deliveries claimed, in one round trip.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How long a claimed delivery stays this instance's: past it (the instance died mid-delivery), another instance
    /// may claim it again. Longer than an attempt, so that a live instance's attempt is never taken over.
    /// </summary>
    public TimeSpan Lease => AttemptTimeout + TimeSpan.FromSeconds(5);
}
