using Microsoft.Extensions.Options;

namespace Challenge.OperatorConsole.Access;

/// <summary>
/// Every answer's content security policy and its companions: scripts, connections (the circuit's WebSocket) and frames
/// from this origin only, forms answered only here and by the provider, and no page of the console inside another site.
/// </summary>
public static class SecurityHeaders
{
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var formTargets = ConsoleAccess.FormTargets(app.Services.GetRequiredService<IOptions<ConsoleAccessOptions>>(), app.Environment);
        // Fluent UI's components set inline style attributes, hence style-src 'unsafe-inline'; no script is inline.
        var policy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
                     $"object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action {formTargets}";
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return next(context);
        });
        return app;
    }
}
