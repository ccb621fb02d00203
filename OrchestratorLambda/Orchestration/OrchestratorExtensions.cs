using Challenge.ServiceDefaults;
using Challenge.ServiceClients;
using Challenge.Identity;
using Challenge.ApiConventions;

namespace Challenge.OrchestratorLambda.Orchestration;

public static class OrchestratorExtensions
{
    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        // Lambda forbids '-' in environment variable names, so services__customers-api__http__0 cannot be set
        // there: CUSTOMERS_API_URL and ORDERS_API_URL name the same endpoints for service discovery.
        foreach (var (variable, service) in new[] { ("CUSTOMERS_API_URL", CustomerLookup.ServiceName), ("ORDERS_API_URL", OrdersClient.ServiceName) })
        {
            if (builder.Configuration[variable] is { Length: > 0 } url)
            {
                builder.Configuration[$"services:{service}:http:0"] = url;
            }
        }
        builder.Services.AddOptions<OrchestratorOptions>()
            .BindConfiguration(OrchestratorOptions.Section)
            .Validate(o => o.Deadline >= TimeSpan.FromSeconds(1) && o.Deadline <= TimeSpan.FromMinutes(15), "Orchestrator:Deadline must be between 1 s and 15 min.")
            .ValidateOnStart();
        builder.AddGeneratedJson(OrchestratorJson.Default);
        // Every problem of the orchestrator carries the correlation id, as its first version's error bodies did.
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails += context =>
            context.ProblemDetails.Extensions["correlationId"] = context.HttpContext.Items[CorrelationId.HeaderName] as string);

        builder.AddServiceTokens();
        builder.Services.AddScoped<OrderOrchestrator>();
        // "http://customers-api" and "http://orders-api" are resolved by service discovery.
        // Within the orchestration's own deadline: 3 s an attempt, 8 s a call.
        builder.Services.AddCustomerLookup(attemptTimeout: TimeSpan.FromSeconds(3), totalTimeout: TimeSpan.FromSeconds(8), retries: 3);
        builder.Services.AddHttpClient<OrdersClient>(http => http.BaseAddress = new Uri($"http://{OrdersClient.ServiceName}"))
            .AddStandardResilienceHandler(resilience => ServiceCalls.Resilience(resilience, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(8), retries: 3));
        return builder;
    }
}
