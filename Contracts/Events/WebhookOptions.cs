using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Challenge.Contracts.Events;

/// <summary>The <c>Webhooks</c> configuration section, read by the Orders API (subscriptions) and the dispatcher (deliveries).</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// Whether a webhook may be <c>http://</c> and point at a loopback, private or link-local address: Development's
    /// local receivers. Off everywhere else unless set: unset, it is whether the environment is Development.
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
    /// Subscriptions one customer may have: each is one more POST of every event, and one more share of the dispatcher's
    /// capacity; ten serve a business's systems (an ERP, a warehouse, a CRM, their test copies) with room to spare.
    /// </summary>
    public int MaxSubscriptionsPerCustomer { get; set; } = 10;

    /// <summary>Subscriptions to every customer's events (operators' own): a cap of their own, for the staff's integrations.</summary>
    public int MaxSubscriptionsForEveryCustomer { get; set; } = 25;
}

public static class WebhookOptionsExtensions
{
    /// <summary>Binds the <c>Webhooks</c> section and checks it at start, by the same rules wherever it is read.</summary>
    public static IServiceCollection AddWebhookOptions(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>()
            .Configure<IHostEnvironment>((o, environment) => o.AllowLocalUrls = environment.IsDevelopment())
            .BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.GiveUpAfter >= TimeSpan.FromMinutes(1), "Webhooks:GiveUpAfter must be at least a minute.")
            .Validate(o => o.AllowedPorts.All(port => port is > 0 and <= 65535), "Webhooks:AllowedPorts holds port numbers (1 to 65535).")
            .Validate(o => o.MaxSubscriptionsPerCustomer is >= 1 and <= 1000, "Webhooks:MaxSubscriptionsPerCustomer must be between 1 and 1000.")
            .Validate(o => o.MaxSubscriptionsForEveryCustomer is >= 1 and <= 1000, "Webhooks:MaxSubscriptionsForEveryCustomer must be between 1 and 1000.")
            .ValidateOnStart();
        return services;
    }
}
