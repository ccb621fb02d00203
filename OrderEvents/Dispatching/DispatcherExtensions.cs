using Challenge.Data;
using Challenge.Webhooks;
using Challenge.Webhooks.Deliveries;
using Challenge.Webhooks.Events;
using Microsoft.Extensions.Options;

namespace Challenge.OrderEvents.Dispatching;

public static class DispatcherExtensions
{
    public static IHostApplicationBuilder AddOrderEventDispatcher(this IHostApplicationBuilder builder)
    {
        builder.AddMySqlDataSource("ordersdb");
        builder.AddWebhooks();
        builder.Services.AddPeriodicJob<EventRetention>();
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
