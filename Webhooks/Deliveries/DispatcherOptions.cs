namespace Challenge.Webhooks.Deliveries;

/// <summary>The <c>Dispatcher</c> configuration section: how deliveries are made, claimed and paused.</summary>
public sealed class DispatcherOptions
{
    public const string Section = "Dispatcher";

    /// <summary>How long a receiver has to answer one attempt; past it the attempt failed and is retried.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long connecting to a receiver may take, well under <see cref="AttemptTimeout"/>: an address that drops the
    /// connection attempt (a black hole) fails fast.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How often an idle dispatcher looks for new events and due deliveries.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Deliveries one instance has in flight at once. An attempt waiting on its receiver costs a socket and little else,
    /// so there is room for a customer at its subscription cap whose every endpoint hangs
    /// (<see cref="MaxInFlightPerSubscription"/> times 10) with as much again for everyone else.
    /// </summary>
    public int MaxConcurrentDeliveries { get; set; } = 320;

    /// <summary>
    /// Deliveries one subscription has in flight at once, counted over every instance: a slow or silent endpoint holds
    /// this many attempts and no more, and claims share the rest across subscriptions and customers. Enough for one
    /// receiver to take every event of the orchestrated orders' full rate (Bench, <c>events-hot</c>): an attempt's
    /// slot is held from its claim to its recorded outcome, a few round trips to the database besides the receiver's.
    /// </summary>
    public int MaxInFlightPerSubscription { get; set; } = 16;

    /// <summary>
    /// Attempts of one subscription that may fail in a row before it is paused: from then on it is tried one delivery at
    /// a time, after pauses that double from <see cref="FirstPause"/> to an hour, its backlog kept, until an attempt succeeds.
    /// </summary>
    public int PauseAfterFailures { get; set; } = 5;

    /// <summary>The first pause of a subscription that keeps failing.</summary>
    public TimeSpan FirstPause { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Events fanned out, or deliveries claimed, in one round trip.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How long a claimed delivery stays this instance's: past it (the instance died mid-delivery), another instance
    /// may claim it again. Longer than an attempt, so that a live instance's attempt is never taken over.
    /// </summary>
    public TimeSpan Lease => AttemptTimeout + TimeSpan.FromSeconds(5);
}
