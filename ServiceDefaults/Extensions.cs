using System.Globalization;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Json;
using Challenge.ServiceDefaults.Limits;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Aspire's service defaults (OpenTelemetry, health, service discovery, resilience) plus the API's conventions that
/// every service shares: JSON shape, problem details, correlation ids, limits and tokens.
/// </summary>
public static class Extensions
{
    private const string HealthPath = "/health";
    private const string AlivePath = "/alive";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        // No answer depends on the machine's locale (numbers and dates in messages read the same everywhere).
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddApiConventions();
        builder.AddTokenAuthentication();
        builder.AddPublicRateLimits();
        builder.AddRequestTimeoutLimits();

        builder.Services.AddServiceDiscovery();
        builder.Services.AddTransient<CorrelationIdHandler>();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Each call is a span of its trace already; the client factory's own log handlers (a log scope per call,
            // lines at Information, which appsettings silences) are work on every call for nothing.
            http.RemoveAllLoggers();
            http.AddServiceDiscovery();
            http.AddHttpMessageHandler<CorrelationIdHandler>();
        });
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddSimpleConsole(console =>
        {
            console.IncludeScopes = true;
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss.fff ";
            console.UseUtcTimestamp = true;
        });
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddAspNetCoreInstrumentation(aspnet =>
                    // Probes every few seconds would drown the traces that matter.
                    aspnet.Filter = context => !context.Request.Path.StartsWithSegments(HealthPath)
                                               && !context.Request.Path.StartsWithSegments(AlivePath))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }
        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        return builder;
    }

    public static TBuilder AddApiConventions<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<JsonOptions>(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.Limits.MaxRequestBodySize = KestrelLimits.MaxRequestBodyBytes);
        // Binding failures reach ApiExceptionHandler, which names the field, instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemConventions.Customize);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.Services.AddOpenApi();
        return builder;
    }

    /// <summary>
    /// The middleware every service runs, in an order that matters: the correlation id first so that every
    /// response has it, then problem details, so that authentication's bare 401/403 get a body too.
    /// </summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseMiddleware<CorrelationIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (app.Environment.IsDevelopment())
        {
            // Static pages, served before authorization (whose fallback policy closes what no endpoint opens).
            app.UseSwaggerUI(ui =>
            {
                ui.RoutePrefix = "api-docs";
                ui.SwaggerEndpoint("/openapi/v1.json", app.Environment.ApplicationName);
            });
        }
        // Before authentication: a token not validated yet costs a signature check, so its address pays for it first.
        app.UseUnverifiedTokenLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authorization, so that the caller is known (and an anonymous flood outside Development is a 401).
        app.UseRateLimiter();
        // Inside the limiter: a request turned away costs no time budget; every admitted one has one.
        app.UseRequestTimeouts();
        return app;
    }

    /// <summary>
    /// Health probes (anonymous), and the OpenAPI document: anonymous in Development (its UI is served there by
    /// <see cref="UseServiceDefaults"/>), for operators only elsewhere, where no UI is served.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        // Readiness: every check, the database included; 503 while any fails.
        app.MapHealthChecks(HealthPath).AllowAnonymous();
        // Liveness: the process answers, whatever its dependencies do.
        app.MapHealthChecks(AlivePath, new HealthCheckOptions { Predicate = check => check.Tags.Contains("live") }).AllowAnonymous();
        var document = app.MapOpenApi("/openapi/{documentName}.json");
        if (!app.Environment.IsDevelopment())
        {
            document.RequireAuthorization(AuthPolicies.Operator);
            return app;
        }
        document.AllowAnonymous();
        return app;
    }
}
