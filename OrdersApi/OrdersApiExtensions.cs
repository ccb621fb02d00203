using Challenge.OrdersApi.Orchestrations;
using Challenge.OrdersApi.Overview;
using Challenge.OrdersApi.Products;
using Microsoft.Extensions.Options;
using Challenge.Contracts.Customers;
using Challenge.Webhooks;
using Challenge.Webhooks.Subscriptions;

namespace Challenge.OrdersApi;

public static class OrdersApiExtensions
{
    public static IHostApplicationBuilder AddOrdersApi(this IHostApplicationBuilder builder)
    {
        // The wait for a duplicate in flight under the same key is InnoDB's wait for the key row's lock.
        builder.AddMySqlDataSource("ordersdb", services => services.GetRequiredService<IOptions<OrdersOptions>>().Value.IdempotencyWait);
        builder.AddGeneratedJson(OrdersJson.Default);
        builder.Services.AddOptions<OrdersOptions>()
            .BindConfiguration(OrdersOptions.Section)
            .Validate(o => o.CancellationWindow >= TimeSpan.Zero, "Orders:CancellationWindow must not be negative.")
            .Validate(o => o.ConfirmationTimeout >= TimeSpan.FromSeconds(1), "Orders:ConfirmationTimeout must be at least a second.")
            .Validate(o => o.SweepInterval >= TimeSpan.FromMilliseconds(100) && o.SweepInterval <= TimeSpan.FromHours(1),
                "Orders:SweepInterval must be between 00:00:00.1 and 01:00:00.")
            .Validate(o => o.IdempotencyKeyLifetime >= TimeSpan.FromMinutes(1), "Orders:IdempotencyKeyLifetime must be at least a minute.")
            .Validate(o => o.IdempotencyWait >= TimeSpan.FromSeconds(1) && o.IdempotencyWait <= TimeSpan.FromSeconds(30),
                "Orders:IdempotencyWait must be between 1 and 30 seconds.")
            .Validate(o => o.MaxRequestsPerKey is >= 1 and <= 100, "Orders:MaxRequestsPerKey must be between 1 and 100.")
            .Validate(o => o.MaxOpenOrdersPerCustomer is >= 0 and <= CustomerLimits.MaxOpenOrders,
                $"Orders:MaxOpenOrdersPerCustomer must be between 0 and {CustomerLimits.MaxOpenOrders}.")
            .Validate(o => o.MaxReservedUnitsPerCustomer is >= 0 and <= CustomerLimits.MaxReservedUnits,
                $"Orders:MaxReservedUnitsPerCustomer must be between 0 and {CustomerLimits.MaxReservedUnits}.")
            .ValidateOnStart();

        builder.AddWebhooks();
        builder.Services.AddHostedService<SubscriptionUpgrade>();

        builder.AddServiceTokens();
        builder.Services.AddSingleton<ReplayableAnswers>();
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<KeyAdmission>();
        builder.Services.AddSingleton<WriteTransactions>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<OrderWriter>();
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<ProductStore>();
        builder.Services.AddSingleton<OverviewStore>();
        builder.Services.AddScoped<OrderPlacement>();
        builder.Services.AddScoped<OrderOrchestration>();
        builder.Services.AddPeriodicJob<IdempotencyKeyPurger>();
        builder.Services.AddPeriodicJob<AbandonedOrderSweep>();

        // The customer check must end well before a client would give up: 2 s an attempt, 5 s in all.
        builder.Services.AddCustomerLookup(attemptTimeout: TimeSpan.FromSeconds(2), totalTimeout: TimeSpan.FromSeconds(5), retries: 2);
        return builder;
    }
}
