using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Challenge.ConsoleTests.Infrastructure;

/// <summary>
/// An OpenID Connect provider of the tests' own, in the test process on a free loopback port: the operator console
/// signs people in through it exactly as it does through the real one (authorization code flow with PKCE and a client
/// secret), so browser tests cover the real sign-in without an identity service to run or reach. It knows a few people
/// (<see cref="OperatorUserName"/>, an operator, and <see cref="ClerkUserName"/>, who is not), asks who is signing in on
/// a plain form each time, and puts their <c>sub</c>, <c>name</c> and <c>role</c> in the identity token. It keeps
/// nothing on disk: no database (OpenIddict's degraded mode), keys made for this run only.
/// </summary>
public sealed class OpenIdProvider : IAsyncDisposable
{
    /// <summary>The user name of Ada Lovelace, whose role is <c>operator</c>: the person the console lets in.</summary>
    public const string OperatorUserName = "ada";

    /// <summary>The <c>sub</c> claim of <see cref="OperatorUserName"/>, as the console sees it.</summary>
    public const string OperatorSubject = "person-ada";

    /// <summary>The user name of Bob, whose role is <c>clerk</c>: someone known but not an operator, whom the console refuses.</summary>
    public const string ClerkUserName = "bob";

    /// <summary>The <c>sub</c> claim of <see cref="ClerkUserName"/>, as the console sees it.</summary>
    public const string ClerkSubject = "person-bob";

    private const string AuthorizationPath = "/connect/authorize";
    private const string TokenPath = "/connect/token";
    private const string EndSessionPath = "/connect/logout";

    private static readonly Dictionary<string, Person> People = new(StringComparer.Ordinal)
    {
        [OperatorUserName] = new(OperatorSubject, "Ada Lovelace", "operator"),
        [ClerkUserName] = new(ClerkSubject, "Bob", "clerk"),
    };

    private readonly WebApplication app;

    private OpenIdProvider(WebApplication app, Uri authority)
    {
        this.app = app;
        Authority = authority;
    }

    /// <summary>
    /// Where the console finds the provider (its issuer, and the base of its discovery document): what its OpenID
    /// Connect options' <c>Authority</c> is set to.
    /// </summary>
    public Uri Authority { get; }

    /// <summary>
    /// Starts a provider that serves only the client <paramref name="clientId"/>, authenticated at the token endpoint
    /// by <paramref name="clientSecret"/>, and only to a <c>/signin-oidc</c> callback on this machine: a console
    /// configured otherwise fails to sign anyone in, as it would against the real provider.
    /// </summary>
    public static async Task<OpenIdProvider> StartAsync(string clientId, string clientSecret, CancellationToken ct = default)
    {
        // The empty builder reads no configuration files or environment variables: nothing in the test's directory
        // (a console's appsettings.json, ASPNETCORE_URLS) can move or reconfigure the provider.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.AddOpenIddict().AddServer(server =>
        {
            server.SetAuthorizationEndpointUris(AuthorizationPath)
                .SetTokenEndpointUris(TokenPath)
                .SetEndSessionEndpointUris(EndSessionPath)
                .AllowAuthorizationCodeFlow()
                .RequireProofKeyForCodeExchange()
                .RegisterScopes(Scopes.OpenId, Scopes.Profile)
                .RegisterClaims(Claims.Subject, Claims.Name, Claims.Role)
                .AddEphemeralEncryptionKey()
                .AddEphemeralSigningKey()
                .DisableAccessTokenEncryption()
                .EnableDegradedMode();
            server.UseAspNetCore()
                .DisableTransportSecurityRequirement()
                .EnableAuthorizationEndpointPassthrough()
                .EnableEndSessionEndpointPassthrough();

            // Without a database OpenIddict knows no clients: these handlers are the client registration.
            server.AddEventHandler<ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (!string.Equals(context.ClientId, clientId, StringComparison.Ordinal))
                {
                    context.Reject(Errors.InvalidClient, $"The client_id is not '{clientId}'.");
                }
                else if (!IsOnThisMachine(context.RedirectUri, "/signin-oidc"))
                {
                    context.Reject(Errors.InvalidRequest, "The redirect_uri is not an http://localhost or http://127.0.0.1 URI ending in /signin-oidc.");
                }
                return default;
            }));
            server.AddEventHandler<ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (!string.Equals(context.ClientId, clientId, StringComparison.Ordinal) || !SameSecret(context.ClientSecret, clientSecret))
                {
                    context.Reject(Errors.InvalidClient, $"The client is not '{clientId}' with its secret.");
                }
                return default;
            }));
            server.AddEventHandler<ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is not null && !IsOnThisMachine(context.PostLogoutRedirectUri, "/signout-callback-oidc"))
                {
                    context.Reject(Errors.InvalidRequest, "The post_logout_redirect_uri is not an http://localhost or http://127.0.0.1 URI ending in /signout-callback-oidc.");
                }
                return default;
            }));
        });

        var app = builder.Build();
        app.UseAuthentication();
        app.MapMethods(AuthorizationPath, [HttpMethods.Get, HttpMethods.Post], Authorize);
        app.MapMethods(EndSessionPath, [HttpMethods.Get, HttpMethods.Post],
            () => Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]));
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new OpenIdProvider(app, new Uri($"{address}/"));
    }

    /// <summary>Stops the provider and frees its port, so that no listener outlives the tests that started it.</summary>
    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>
    /// The authorization endpoint, once OpenIddict has validated the request: the form that asks who is signing in
    /// (GET), then its answer (POST), which signs a known person in (OpenIddict then sends the code to the console) or
    /// asks again.
    /// </summary>
    private static IResult Authorize(HttpContext http)
    {
        var request = http.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict passed on a request to the authorization endpoint without the request.");
        if (HttpMethods.IsGet(http.Request.Method))
        {
            return SignInForm(request, error: null);
        }
        var userName = request.Username?.Trim() ?? "";
        if (!People.TryGetValue(userName, out var person))
        {
            return SignInForm(request, $"No one with the user name '{userName}' is known here.");
        }

        var identity = new ClaimsIdentity(nameof(OpenIdProvider), Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, person.Subject)
            .SetClaim(Claims.Name, person.Name)
            .SetClaim(Claims.Role, person.Role)
            .SetScopes(request.GetScopes())
            .SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// The sign-in page: one labelled field and a button, and the authorization request's parameters as hidden fields,
    /// so that the POST is the same authorization request with the user name added.
    /// </summary>
    private static IResult SignInForm(OpenIddictRequest request, string? error)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Sign in</title></head><body><main>")
            .Append("<h1>Sign in</h1>");
        if (error is not null)
        {
            html.Append("<p id=\"sign-in-error\" role=\"alert\">").Append(WebUtility.HtmlEncode(error)).Append("</p>");
        }
        html.Append("<form method=\"post\" action=\"").Append(AuthorizationPath).Append("\">");
        foreach (var (name, parameter) in request.GetParameters())
        {
            if (name == Parameters.Username)
            {
                continue;
            }
            foreach (var value in (StringValues)parameter)
            {
                html.Append("<input type=\"hidden\" name=\"").Append(WebUtility.HtmlEncode(name))
                    .Append("\" value=\"").Append(WebUtility.HtmlEncode(value)).Append("\">");
            }
        }
        html.Append("<p><label for=\"username\">User name</label> ")
            .Append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\" required");
        if (error is not null)
        {
            html.Append(" aria-invalid=\"true\" aria-describedby=\"sign-in-error\"");
        }
        html.Append("></p><p><button type=\"submit\">Sign in</button></p></form></main></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static bool IsOnThisMachine(string? uri, string pathEnd) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed)
        && parsed.Scheme == Uri.UriSchemeHttp
        && parsed.Host is "localhost" or "127.0.0.1"
        && parsed.AbsolutePath.EndsWith(pathEnd, StringComparison.Ordinal);

    private static bool SameSecret(string? presented, string expected) =>
        presented is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));

    private sealed record Person(string Subject, string Name, string Role);
}
