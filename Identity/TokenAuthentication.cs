using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Net.Http.Headers;

namespace Challenge.Identity;

public static class AuthExtensions
{
    /// <summary>The longest clock difference tolerated on <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// JWT bearer validation (ES256 signature by a trusted key named by <c>kid</c> that may sign for the token's role and
    /// subject, issuer, audience, lifetime) and the two policies.
    /// In Development the public endpoints also accept anonymous calls, so the README's curl examples work as written.
    /// </summary>
    public static IHostApplicationBuilder AddTokenAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .BindConfiguration(AuthOptions.Section)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer), "Auth:Issuer is missing.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Audience), "Auth:Audience (this service's resource name) is missing.")
            .Validate(o => o.TrustedKeys.Count > 0, "Auth:TrustedKeys is empty: no token could ever be validated.")
            .Validate(o => o.TrustedKeys.All(k => k.IsValid()),
                "Every Auth:TrustedKeys entry needs a PublicKey (base64 SubjectPublicKeyInfo of a P-256 key) and the Signer it speaks for.")
            .Validate(o => !o.TrustedKeys.All(k => k.IsValid()) || o.TrustedKeys.GroupBy(k => k.SecurityKey().KeyId).All(g => g.Count() == 1),
                "A public key is listed in Auth:TrustedKeys once, for one signer.")
            .Validate(o => o.SigningKey is null || o.SigningKey.IsValid(), "Auth:SigningKey:PrivateKey is not a base64 PKCS#8 P-256 private key.")
            .Validate(o => o.ServiceTokenLifetime >= TimeSpan.FromSeconds(30) && o.ServiceTokenLifetime <= o.ServiceTokenMaxLifetime,
                "Auth:ServiceTokenLifetime must be between 00:00:30 and Auth:ServiceTokenMaxLifetime (01:00:00 unless set).")
            .ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VerifiedTokens>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, TimeProvider, VerifiedTokens>((jwt, auth, time, verified) =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenHandlers.Clear();
                jwt.TokenHandlers.Add(new RememberingTokenHandler(verified) { MapInboundClaims = false });
                jwt.TokenValidationParameters = ValidationParameters(auth.Value);
                var signers = SignersByKeyId(auth.Value);
                jwt.Events = new JwtBearerEvents { OnTokenValidated = context => RefuseWhatTheSignerMayNotSign(context, auth.Value, signers, time) };
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

    /// <summary>For a service that calls others: the issuer of its service tokens, and its own private key required at start-up.</summary>
    public static IHostApplicationBuilder AddServiceTokens(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Validate(o => o.SigningKey is not null, "Auth:SigningKey:PrivateKey (this service's own key) is missing: it could not call other services.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ServiceTokenIssuer>();
        return builder;
    }

    /// <summary>
    /// Opens internal routes to the services that need them and to no one else: a service token whose <c>sub</c>
    /// names one of <paramref name="callers"/>. Never an operator's or a client's token, in any environment.
    /// </summary>
    public static TBuilder RequireCallers<TBuilder>(this TBuilder builder, params string[] callers) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Service).RequireClaim("sub", callers));

    /// <summary>
    /// People in one of <paramref name="roles"/>; with <paramref name="anonymousUsers"/> (Development), also a request that
    /// presents no credentials at all. A token that is presented is always judged: an invalid one is a 401 (the caller
    /// learns its integration is wrong), a valid one without the role a 403, in Development as everywhere.
    /// </summary>
    private static void UsersInRoles(AuthorizationPolicyBuilder policy, bool anonymousUsers, params string[] roles)
    {
        if (anonymousUsers)
        {
            policy.RequireAssertion(context => context.User.Identity?.IsAuthenticated == true
                ? roles.Any(context.User.IsInRole)
                : context.Resource is HttpContext http && !http.Request.Headers.ContainsKey(HeaderNames.Authorization));
        }
        else
        {
            policy.RequireAuthenticatedUser().RequireRole(roles);
        }
    }

    /// <summary>
    /// What a valid signature does not settle: a key vouches only for its own signer's tokens (a service's key for its own
    /// service tokens, the operator key for people's), so no service can mint another's tokens or an operator's; a
    /// token has exactly one role and one subject (a list would let one claim pass the signer and another the
    /// policy); and a token that claims to live longer than its role allows, or to be issued in the future (which
    /// would make any lifetime look short), is refused.
    /// </summary>
    private static Task RefuseWhatTheSignerMayNotSign(TokenValidatedContext context, AuthOptions auth, IReadOnlyDictionary<string, string> signers,
        TimeProvider time)
    {
        if (context.SecurityToken is not JsonWebToken token || context.Principal is not { } principal)
        {
            context.Fail("Not a JSON web token.");
            return Task.CompletedTask;
        }
        var roles = principal.FindAll("role").ToList();
        var subjects = principal.FindAll("sub").ToList();
        if (roles.Count != 1 || subjects.Count != 1)
        {
            context.Fail("A token names exactly one role and one subject.");
            return Task.CompletedTask;
        }
        var (role, subject) = (roles[0].Value, subjects[0].Value);
        if (string.IsNullOrWhiteSpace(subject))
        {
            // A blank subject would make the caller no one in particular: every such token one key space, one limit bucket.
            context.Fail("A token names its subject (sub); it is empty.");
            return Task.CompletedTask;
        }
        var signer = token.Kid is { } kid ? signers.GetValueOrDefault(kid) : null;
        var now = time.GetUtcNow().UtcDateTime;
        var issuedAt = token.TryGetPayloadValue<long>("iat", out _) ? token.IssuedAt : DateTime.MinValue;
        if (signer is null || !Signers.MaySign(signer, role, subject))
        {
            context.Fail($"The key {token.Kid} signs for {signer ?? "no one"}; it cannot vouch for a {role} token of {subject}.");
        }
        else if (issuedAt == DateTime.MinValue || issuedAt > now + ClockSkew || token.ValidTo - issuedAt > auth.MaxLifetime(role, signer))
        {
            context.Fail($"The token's lifetime exceeds the {auth.MaxLifetime(role, signer)} a {role} token of {signer} may have, or its iat is missing or in the future.");
        }
        else if (!NamesItsCustomerAsItsRoleRequires(principal, role))
        {
            context.Fail($"A client token names the one customer it acts for in {CustomerScope.ClaimName} (a positive id); no other token names one.");
        }
        return Task.CompletedTask;
    }

    /// <summary>A client acts for exactly one customer; an operator or a service for none in particular.</summary>
    private static bool NamesItsCustomerAsItsRoleRequires(System.Security.Claims.ClaimsPrincipal principal, string role)
    {
        var customers = principal.FindAll(CustomerScope.ClaimName).ToList();
        return role == Roles.Client
            ? customers.Count == 1 && CustomerScope.TryParse(customers[0].Value, out _)
            : customers.Count == 0;
    }

    private static Dictionary<string, string> SignersByKeyId(AuthOptions auth) =>
        auth.TrustedKeys.ToDictionary(k => k.SecurityKey().KeyId, k => k.Signer, StringComparer.Ordinal);

    public static TokenValidationParameters ValidationParameters(AuthOptions auth) => new()
    {
        ValidIssuer = auth.Issuer,
        ValidAudience = auth.Audience,
        IssuerSigningKeys = auth.TrustedKeys.Select(k => k.SecurityKey()).ToList(),
        // A token whose kid names no trusted key is rejected rather than tried against every key.
        TryAllIssuerSigningKeys = false,
        // Public keys only, and only ES256: an HS256 token "signed" with a public key as its secret never passes.
        ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ClockSkew = ClockSkew,
        RoleClaimType = "role",
        NameClaimType = "sub",
    };
}
