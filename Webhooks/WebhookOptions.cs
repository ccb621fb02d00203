namespace Challenge.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section, read by the Orders API (subscriptions, the feed) and the dispatcher (deliveries).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Whether a webhook may be <c>http://</c>, on any port, and point at a loopback, private or link-local address:
    /// Development's local receivers. Off everywhere else unless set: unset, it is whether the environment is Development.
    /// </summary>
    public bool AllowLocalUrls { get; set; }

    /// <summary>
    /// Ports besides 443 that a webhook URL may name outside Development (none unless the deployment allows some: a
    /// receiver on another port is usually a service that was never meant to face the internet).
    /// </summary>
    public List<int> AllowedPorts { get; set; } = [];

    /// <summary>How long a delivery is retried before it is marked failed (re-sendable by hand).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// How long events stay in the feed (<c>GET /events</c>), and finished deliveries in their lists, before they are
    /// purged: a receiver that was down longer than the retries catches up by reading the feed within it.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a rotated secret keeps signing beside the new one, so that receivers can switch without missing a delivery.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Subscriptions one customer may have: each is one more POST of every event, and one more share of the dispatcher's
    /// capacity; ten serve a business's systems (an ERP, a warehouse, a CRM, their test copies) with room to spare.
    /// </summary>
    public int MaxSubscriptionsPerCustomer { get; set; } = 10;

    /// <summary>Subscriptions to every customer's events (operators' own): a cap of their own, for the staff's integrations.</summary>
    public int MaxSubscriptionsForEveryCustomer { get; set; } = 25;

    /// <summary>
    /// The certificate and private key (PEM) that encrypt the key ring which encrypts the subscriptions' secrets at rest:
    /// the deployment's own, given to the Orders API and the dispatcher alike (<c>./run.sh secret --key-ring</c> makes one).
    /// </summary>
    public string KeyRingCertificate { get; set; } = "";
}
