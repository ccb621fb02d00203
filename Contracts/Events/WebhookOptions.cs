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

    /// <summary>How long a delivery is retried before it is marked failed (re-sendable by hand).</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);
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
            .ValidateOnStart();
        return services;
    }
}
