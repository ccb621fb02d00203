using Challenge.Contracts.Downstream;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Json;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Challenge.OrchestratorLambda.Orchestration;

/// <summary>The <c>Orchestrator</c> configuration section.</summary>
public sealed class OrchestratorOptions
{
    public const string Section = "Orchestrator";

    /// <summary>Kept back from a Lambda invocation's remaining time to send the answer.</summary>
    public static readonly TimeSpan AnswerMargin = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest one orchestration may take (in Lambda, also bounded by the invocation's remaining time).</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(10);
}

public static class OrchestratorExtensions
{
    public static IHostApplicationBuilder AddOrchestrator(this IHostApplicationBuilder builder)
    {
        // Lambda forbids '-' in environment variable names, so services__customers-api__http__0 cannot be set
        // there: the seed's CUSTOMERS_API_URL and ORDERS_API_URL name the same endpoints for service discovery.
        foreach (var (variable, service) in new[] { ("CUSTOMERS_API_URL", CustomersClient.ServiceName), ("ORDERS_API_URL", OrdersClient.ServiceName) })
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
        // Every problem of the orchestrator carries the correlation id, as the seed's error bodies did.
        builder.Services.AddProblemDetails(problems => problems.CustomizeProblemDetails += context =>
            context.ProblemDetails.Extensions["correlationId"] = context.HttpContext.Items[CorrelationId.HeaderName] as string);

        builder.AddServiceTokens();
        builder.Services.AddScoped<OrderOrchestrator>();
        // "http://customers-api" and "http://orders-api" are resolved by service discovery.
        builder.Services.AddHttpClient<CustomersClient>(http => http.BaseAddress = new Uri($"http://{CustomersClient.ServiceName}"))
            .AddStandardResilienceHandler(ConfigureResilience);
        builder.Services.AddHttpClient<OrdersClient>(http => http.BaseAddress = new Uri($"http://{OrdersClient.ServiceName}"))
            .AddStandardResilienceHandler(ConfigureResilience);
        return builder;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience)
    {
        resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
        resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(8);
        resilience.Retry.MaxRetryAttempts = 3;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(Downstream.IsSafeToRetry(args.Outcome, args.Context.GetRequestMessage()));
        resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        resilience.CircuitBreaker.MinimumThroughput = 20;
        resilience.CircuitBreaker.FailureRatio = 0.5;
        resilience.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    }
}
