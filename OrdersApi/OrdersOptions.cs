using Challenge.Contracts.Customers;

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

    /// <summary>
    /// How many CREATED orders one customer's clients may hold at once unless the customer's own limits say otherwise: a
    /// business confirms its orders within minutes, and ten left open is already a backlog. Staff's orders are not capped.
    /// </summary>
    public int MaxOpenOrdersPerCustomer { get; set; } = 10;

    /// <summary>
    /// How many units one customer's unconfirmed orders may reserve at once unless the customer's own limits say otherwise:
    /// stock held unconfirmed is stock no other buyer can have.
    /// </summary>
    public long MaxReservedUnitsPerCustomer { get; set; } = 1_000;

    /// <summary>What a customer may hold unconfirmed: its own limits where set, the defaults elsewhere.</summary>
    public HoldLimits LimitsOf(CustomerLimits limits) =>
        new(limits.OpenOrders ?? MaxOpenOrdersPerCustomer, limits.ReservedUnits ?? MaxReservedUnitsPerCustomer);
}
