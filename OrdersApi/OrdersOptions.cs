namespace Challenge.OrdersApi;

/// <summary>The <c>Orders</c> configuration section.</summary>
public sealed class OrdersOptions
{
    public const string Section = "Orders";

    /// <summary>How long after confirmation an order may still be cancelled (stock restored).</summary>
    public TimeSpan CancellationWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an order may stay CREATED: past it, the sweep cancels it and its stock comes back.</summary>
    public TimeSpan ConfirmationTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often each instance looks for orders left CREATED past <see cref="ConfirmationTimeout"/>.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a completed Idempotency-Key is remembered before it is purged.</summary>
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long a request waits for another one in flight with the same key before it gets a 409; also how long any
    /// statement of the Orders API waits for a row lock (a longer wait is retried as a whole transaction).
    /// </summary>
    public TimeSpan IdempotencyWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many requests with one key an instance works on or lets wait at once; more get a 409 straight away.</summary>
    public int MaxRequestsPerKey { get; set; } = 8;
}
