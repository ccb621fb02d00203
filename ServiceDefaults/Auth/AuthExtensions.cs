using Microsoft.AspNetCore.Authentication.JwtBearer;
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
            .Validate(o => o.ServiceTokenLifetime >= TimeSpan.FromSeconds(30) && o.ServiceTokenLifetime <= TimeSpan.FromHours(1),
                "Auth:ServiceTokenLifetime must be between 00:00:30 and 01:00:00.")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ServiceTokenIssuer>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = ValidationParameters(auth.Value);
            });

        var anonymousOperators = builder.Environment.IsDevelopment();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AuthPolicies.Operator, policy =>
            {
                if (anonymousOperators)
                {
                    policy.RequireAssertion(_ => true);
                }
                else
                {
                    policy.RequireAuthenticatedUser().RequireRole(Roles.Operator, Roles.Service);
                }
            })
            .AddPolicy(AuthPolicies.Service, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Service));
        return builder;
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
