using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.ServiceDefaults.Auth;

public static class AuthExtensions
{
    /// <summary>The longest clock difference tolerated on <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// JWT bearer validation (signature by <c>kid</c>, issuer, audience, lifetime, HS256 only) and the two policies.
    /// In Development the public endpoints also accept anonymous calls, so the seed's curl examples work as written.
    /// </summary>
    public static IHostApplicationBuilder AddTokenAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer), "Auth:Issuer is missing.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Audience), "Auth:Audience (this service's resource name) is missing.")
            .Validate(o => o.AllKeys.Any(), "Auth:SigningKey (or Auth:ValidationKeys) is missing: no token could ever be validated.")
            .Validate(o => o.AllKeys.All(k => k.IsValid()), $"Every Auth key needs an Id and a base64 Secret of at least {SigningKey.MinimumBytes} bytes.")
            .Validate(o => o.ServiceTokenLifetime >= TimeSpan.FromSeconds(30) && o.ServiceTokenLifetime <= o.ServiceTokenMaxLifetime,
                "Auth:ServiceTokenLifetime must be between 00:00:30 and Auth:ServiceTokenMaxLifetime (01:00:00 unless set).")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServiceTokenIssuer>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = ValidationParameters(auth.Value);
                jwt.Events = new JwtBearerEvents { OnTokenValidated = context => RefuseOverlongLifetimes(context, auth.Value) };
            });

        var anonymousUsers = builder.Environment.IsDevelopment();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Operator, policy => UsersInRoles(policy, anonymousUsers, Roles.Operator))
            .AddPolicy(AuthPolicies.Client, policy => UsersInRoles(policy, anonymousUsers, Roles.Client, Roles.Operator))
            // A route that names no policy is closed, not open: only health, liveness and (in Development) the
            // docs say they are anonymous.
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        return builder;
    }

    /// <summary>
    /// Opens internal routes to the services that need them and to no one else: a service token whose <c>sub</c>
    /// names one of <paramref name="callers"/>. Never an operator's or a client's token, in any environment.
    /// </summary>
    public static TBuilder RequireCallers<TBuilder>(this TBuilder builder, params string[] callers) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Service).RequireClaim("sub", callers));

    private static void UsersInRoles(AuthorizationPolicyBuilder policy, bool anonymousUsers, params string[] roles)
    {
        if (anonymousUsers)
        {
            policy.RequireAssertion(_ => true);
        }
        else
        {
            policy.RequireAuthenticatedUser().RequireRole(roles);
        }
    }

    /// <summary>A token that claims to live longer than its role allows (a leaked long-lived token) is refused.</summary>
    private static Task RefuseOverlongLifetimes(TokenValidatedContext context, AuthOptions auth)
    {
        if (context.SecurityToken is JsonWebToken token)
        {
            var role = context.Principal?.FindFirst("role")?.Value;
            var issuedAt = token.TryGetPayloadValue<long>("iat", out _) ? token.IssuedAt : DateTime.MinValue;
            if (issuedAt == DateTime.MinValue || token.ValidTo - issuedAt > auth.MaxLifetime(role))
            {
                context.Fail($"The token's lifetime exceeds the {auth.MaxLifetime(role)} a {role ?? "token"} token may have, or it has no iat.");
            }
        }
        return Task.CompletedTask;
    }

    public static TokenValidationParameters ValidationParameters(AuthOptions auth) => new()
    {
        ValidIssuer = auth.Issuer,
        ValidAudience = auth.Audience,
        IssuerSigningKeys = auth.AllKeys.Select(TokenFactory.SecurityKey).ToList(),
        // A token whose kid names no active key is rejected rather than tried against every key.
        TryAllIssuerSigningKeys = false,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        RoleClaimType = "role",
        NameClaimType = "sub",
    };
}
