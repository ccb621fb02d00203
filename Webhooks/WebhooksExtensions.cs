using Challenge.Data;
using Challenge.Webhooks.Deliveries;
using Challenge.Webhooks.Events;
using Challenge.Webhooks.Signing;
using Challenge.Webhooks.Subscriptions;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Challenge.Webhooks;

public static class WebhooksExtensions
{
    /// <summary>
    /// The order events module, for the service that hosts a part of it (the Orders API its endpoints, the dispatcher its
    /// loop): its options (<c>Webhooks</c>, <c>Dispatcher</c>) checked at start by the same rules in both, its stores, and
    /// the secrets' protection. Needs the service's <c>ordersdb</c> data source.
    /// </summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>()
            .Configure<IHostEnvironment>((o, environment) => o.AllowLocalUrls = environment.IsDevelopment())
            .BindConfiguration(WebhookOptions.Section)
            .Validate(o => o.GiveUpAfter >= TimeSpan.FromMinutes(1), "Webhooks:GiveUpAfter must be at least a minute.")
            .Validate(o => o.Retention >= TimeSpan.FromDays(1) && o.Retention >= o.GiveUpAfter,
                "Webhooks:Retention must be at least a day, and no shorter than Webhooks:GiveUpAfter.")
            .Validate(o => o.SecretOverlap >= TimeSpan.Zero && o.SecretOverlap <= TimeSpan.FromDays(30), "Webhooks:SecretOverlap must be between 0 and 30 days.")
            .Validate(o => o.AllowedPorts.All(port => port is > 0 and <= 65535), "Webhooks:AllowedPorts holds port numbers (1 to 65535).")
            .Validate(o => o.MaxSubscriptionsPerCustomer is >= 1 and <= 1000, "Webhooks:MaxSubscriptionsPerCustomer must be between 1 and 1000.")
            .Validate(o => o.MaxSubscriptionsForEveryCustomer is >= 1 and <= 1000, "Webhooks:MaxSubscriptionsForEveryCustomer must be between 1 and 1000.")
            .Validate(o => KeyRingCertificate.TryLoad(o.KeyRingCertificate) is { } certificate && Disposed(certificate),
                "Webhooks:KeyRingCertificate is missing or is not a PEM certificate with its RSA private key (./run.sh secret --key-ring makes one).")
            .ValidateOnStart();
        services.AddOptions<DispatcherOptions>()
            .BindConfiguration(DispatcherOptions.Section)
            .Validate(o => o.AttemptTimeout >= TimeSpan.FromSeconds(1) && o.AttemptTimeout <= TimeSpan.FromMinutes(1),
                "Dispatcher:AttemptTimeout must be between 1 s and 1 min.")
            .Validate(o => o.ConnectTimeout >= TimeSpan.FromMilliseconds(100) && o.ConnectTimeout < o.AttemptTimeout,
                "Dispatcher:ConnectTimeout must be at least 100 ms and shorter than Dispatcher:AttemptTimeout.")
            .Validate(o => o.PollInterval >= TimeSpan.FromMilliseconds(10) && o.PollInterval <= TimeSpan.FromMinutes(1),
                "Dispatcher:PollInterval must be between 10 ms and 1 min.")
            .Validate(o => o.MaxConcurrentDeliveries is >= 1 and <= 10_000, "Dispatcher:MaxConcurrentDeliveries must be between 1 and 10000.")
            .Validate(o => o.MaxInFlightPerSubscription >= 1 && o.MaxInFlightPerSubscription <= o.MaxConcurrentDeliveries,
                "Dispatcher:MaxInFlightPerSubscription must be between 1 and Dispatcher:MaxConcurrentDeliveries.")
            .Validate(o => o.PauseAfterFailures is >= 1 and <= 1000, "Dispatcher:PauseAfterFailures must be between 1 and 1000.")
            .Validate(o => o.FirstPause >= TimeSpan.FromSeconds(1) && o.FirstPause <= TimeSpan.FromHours(1), "Dispatcher:FirstPause must be between 1 s and 1 h.")
            .Validate(o => o.BatchSize is >= 1 and <= 1000, "Dispatcher:BatchSize must be between 1 and 1000.")
            .ValidateOnStart();

        // The key ring where every instance of both services reads it (ordersdb), encrypted with the deployment's
        // certificate (its absence fails the start, by the validation above).
        var protection = services.AddDataProtection().SetApplicationName("challenge-webhooks");
        services.AddOptions<KeyManagementOptions>().Configure<Database>((keys, db) => keys.XmlRepository = new MySqlXmlRepository(db));
        if (KeyRingCertificate.TryLoad(builder.Configuration[$"{WebhookOptions.Section}:{nameof(WebhookOptions.KeyRingCertificate)}"] ?? "") is { } certificate)
        {
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<SubscriptionStore>();
        services.AddSingleton<DeliveryStore>();
        services.AddSingleton<EventFeed>();
        return builder;
    }

    private static bool Disposed(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        certificate.Dispose();
        return true;
    }
}
