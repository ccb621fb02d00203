using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace Challenge.OperatorConsole.Access;

/// <summary>
/// Who gets in. In Development, the local operator (<see cref="LocalOperator"/>). Elsewhere a person signs in with
/// OpenID Connect (the code flow with PKCE) and keeps a session cookie (<c>Secure</c>, <c>HttpOnly</c>,
/// <c>SameSite=Lax</c>, under the <c>__Host-</c> prefix); only one with the operator claim gets past the sign-in, and
/// the console signs its API calls as that person (<see cref="Apis.ConsoleApi"/>).
/// </summary>
public static class ConsoleAccess
{
    private const string SignOutPath = "/signout";

    /// <summary>How long a sign-in lasts, whatever the person does meanwhile; then the provider is asked again.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(1);

    /// <summary>The claim the console adds at sign-in: when the session ends (Unix seconds). The local operator's never does.</summary>
    private const string SessionEndsClaim = "console_session_ends";

    /// <summary>Whether the person's session is still on at <paramref name="now"/>.</summary>
    public static bool SessionIsOn(ClaimsPrincipal user, DateTimeOffset now) =>
        user.FindFirst(SessionEndsClaim)?.Value is not { } ends
        || (long.TryParse(ends, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && now.ToUnixTimeSeconds() < seconds);

    public static WebApplicationBuilder AddConsoleAccess(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<ConsoleAccessOptions>()
            .BindConfiguration(ConsoleAccessOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.OperatorClaimType) && !string.IsNullOrWhiteSpace(o.OperatorClaimValue),
                "OpenIdConnect:OperatorClaimType and OpenIdConnect:OperatorClaimValue name the operators' claim; neither may be blank.")
            .Validate(o => development || Uri.TryCreate(o.Authority, UriKind.Absolute, out _),
                "OpenIdConnect:Authority (the provider's issuer URL) is missing or not an absolute URL: outside Development people sign in there.")
            .Validate(o => development || (!string.IsNullOrWhiteSpace(o.ClientId) && !string.IsNullOrWhiteSpace(o.ClientSecret)),
                "OpenIdConnect:ClientId and OpenIdConnect:ClientSecret (this console's client at the provider) are missing.")
            .ValidateOnStart();

        var access = builder.Configuration.GetSection(ConsoleAccessOptions.Section).Get<ConsoleAccessOptions>() ?? new();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ConsolePolicies.Operator, policy => policy.RequireAuthenticatedUser().RequireClaim(access.OperatorClaimType, access.OperatorClaimValue));
        builder.Services.AddCascadingAuthenticationState();
        if (development)
        {
            builder.Services.AddAuthentication(LocalOperator.SchemeName).AddScheme<AuthenticationSchemeOptions, LocalOperator>(LocalOperator.SchemeName, null);
            return builder;
        }

        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "__Host-operator-console";
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // An absolute lifetime: the operator claim is read at sign-in, so a person whose claim is taken away keeps
                // it for one session at most; a page left open ends with it too (SessionRevalidation).
                cookie.ExpireTimeSpan = SessionLifetime;
                cookie.SlidingExpiration = false;
                cookie.Events.OnSigningIn = context =>
                {
                    var ends = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow() + SessionLifetime;
                    ((ClaimsIdentity)context.Principal!.Identity!).AddClaim(new Claim(SessionEndsClaim, ends.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
                    return Task.CompletedTask;
                };
                cookie.AccessDeniedPath = "/denied";
            })
            .AddOpenIdConnect(oidc =>
            {
                oidc.Authority = access.Authority;
                oidc.ClientId = access.ClientId;
                oidc.ClientSecret = access.ClientSecret;
                oidc.RequireHttpsMetadata = access.RequireHttpsMetadata;
                oidc.ResponseType = "code";
                oidc.UsePkce = true;
                oidc.Scope.Clear();
                oidc.Scope.Add("openid");
                oidc.Scope.Add("profile");
                // The claims as the identity token has them (sub, name, and the operators' claim), not renamed.
                oidc.MapInboundClaims = false;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                oidc.TokenValidationParameters.NameClaimType = "name";
                oidc.TokenValidationParameters.RoleClaimType = "role";
                oidc.CorrelationCookie.SecurePolicy = oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.Always;
            });
        return builder;
    }

    /// <summary>Signing out (outside Development): a form's POST, checked against cross-site forgery, ends the session here and at the provider.</summary>
    public static WebApplication MapConsoleAccess(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.MapPost(SignOutPath, async Task<IResult> (HttpContext http, IAntiforgery antiforgery) =>
                await antiforgery.IsRequestValidAsync(http)
                    ? TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/" },
                        [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])
                    : TypedResults.BadRequest()).DisableAntiforgery();
        }
        return app;
    }

    /// <summary>The form action of the sign-out button (outside Development).</summary>
    public static string SignOut => SignOutPath;

    /// <summary>Where the browser may be sent by a form's answer: here, and the provider (sign-in and sign-out).</summary>
    public static string FormTargets(IOptions<ConsoleAccessOptions> access, IHostEnvironment environment) =>
        environment.IsDevelopment() || !Uri.TryCreate(access.Value.Authority, UriKind.Absolute, out var authority)
            ? "'self'"
            : $"'self' {authority.GetLeftPart(UriPartial.Authority)}";
}
