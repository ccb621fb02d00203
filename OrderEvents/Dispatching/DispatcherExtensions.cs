using Challenge.Contracts.Events;
using Challenge.ServiceDefaults.Data;
using Microsoft.Extensions.Options;

namespace Challenge.OrderEvents.Dispatching;

public static class DispatcherExtensions
{
    public static IHostApplicationBuilder AddOrderEventDispatcher(this IHostApplicationBuilder builder)
    {
        builder.AddMySqlDataSource("ordersdb");
        builder.Services.AddOptions<DispatcherOptions>()
            .BindConfiguration(DispatcherOptions.Section)
            .Validate(o => o.AttemptTimeout >= TimeSpan.FromSeconds(1) && o.AttemptTimeout <= TimeSpan.FromMinutes(1),
                "Dispatcher:AttemptTimeout must be between 1 s and 1 min.")
            .Validate(o => o.PollInterval >= TimeSpan.FromMilliseconds(10) && o.PollInterval <= TimeSpan.FromMinutes(1),
                "Dispatcher:PollInterval must be between 10 ms and 1 min.")
            .Validate(o => o.ConnectTimeout >= TimeSpan.FromMilliseconds(100) && o.ConnectTimeout < o.AttemptTimeout,
                "Dispatcher:ConnectTimeout must be at least 100 ms and shorter than Dispatcher:AttemptTimeout.")
            .Validate(o => o.MaxConcurrentDeliveries is >= 1 and <= 10_000, "Dispatcher:MaxConcurrentDeliveries must be between 1 and 10000.")
            .Validate(o => o.MaxInFlightPerSubscription >= 1 && o.MaxInFlightPerSubscription <= o.MaxConcurrentDeliveries,
                "Dispatcher:MaxInFlightPerSubscription must be between 1 and Dispatcher:MaxConcurrentDeliveries.")
            .Validate(o => o.PauseAfterFailures is >= 1 and <= 1000, "Dispatcher:PauseAfterFailures must be between 1 and 1000.")
            .Validate(o => o.FirstPause >= TimeSpan.FromSeconds(1) && o.FirstPause <= TimeSpan.FromHours(1), "Dispatcher:FirstPause must be between 1 s and 1 h.")
            .Validate(o => o.BatchSize is >= 1 and <= 1000, "Dispatcher:BatchSize must be between 1 and 1000.")
            .ValidateOnStart();
        builder.Services.AddWebhookOptions();

        builder.Services.AddSingleton<Deliveries>();
        builder.Services.AddHostedService<Dispatcher>();
        // Receivers are called directly (the dispatcher's own schedule retries), never redirected, and outside Development
        // only at public addresses, checked at every connection. They are not this deployment's services: none of the
        // handlers every service client has (service discovery, the correlation id).
        builder.Services.AddHttpClient<WebhookSender>()
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) => handlers.Clear())
            .ConfigurePrimaryHttpMessageHandler(services =>
            {
                // No proxy either: the address checked is the receiver's own, not a proxy's that would connect anywhere.
                var handler = new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(1),
                    ConnectTimeout = services.GetRequiredService<IOptions<DispatcherOptions>>().Value.ConnectTimeout,
                };
                if (!services.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowLocalUrls)
                {
                    handler.ConnectCallback = WebhookSender.ConnectToPublicAddressAsync;
                }
                return handler;
            });
        return builder;
    }
}
