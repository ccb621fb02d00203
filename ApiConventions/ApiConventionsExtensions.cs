using Challenge.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Challenge.ApiConventions;

/// <summary>What every API of the product answers alike, and the middleware that makes it so.</summary>
public static class ApiConventionsExtensions
{
    /// <summary>
    /// JSON, problem details, body limits, tokens, limits per caller and request timeouts. The OpenAPI document is
    /// added by each service itself (<c>builder.Services.AddOpenApi()</c> in its Program): the package's source
    /// generator puts a handler's XML comments into the document only for a call it sees in the handler's assembly.
    /// </summary>
    public static IHostApplicationBuilder AddApiConventions(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(options => ApiJson.Configure(options.SerializerOptions));
        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = KestrelLimits.MaxRequestBodyBytes);
        // Binding failures reach ApiExceptionHandler, which names the field, instead of a bare 400.
        builder.Services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemConventions.Customize);
        builder.Services.AddExceptionHandler<ApiExceptionHandler>();
        builder.AddTokenAuthentication();
        builder.AddPublicRateLimits();
        builder.AddRequestTimeoutLimits();
        return builder;
    }

    /// <summary>
    /// The API's middleware, after the service defaults' correlation id, in an order that matters: problem details
    /// first, so that authentication's bare 401/403 get a body too; limits on unverified tokens before authentication,
    /// limits per caller after it; the time budget inside the limiter.
    /// </summary>
    public static WebApplication UseApiConventions(this WebApplication app)
    {
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

    /// <summary>The OpenAPI document: anonymous in Development (its UI is served there), for operators only elsewhere.</summary>
    public static WebApplication MapApiDocument(this WebApplication app)
    {
        var document = app.MapOpenApi("/openapi/{documentName}.json");
        if (app.Environment.IsDevelopment())
        {
            document.AllowAnonymous();
        }
        else
        {
            document.RequireAuthorization(AuthPolicies.Operator);
        }
        return app;
    }
}
