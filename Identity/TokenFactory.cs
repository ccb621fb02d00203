using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.Identity;

/// <summary>Mints ES256 JWTs with a <c>kid</c> header: service tokens, and people's tokens for tools and tests.</summary>
public static class TokenFactory
{
    private static readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <param name="customerId">The customer a client acts for (<see cref="CustomerScope.ClaimName"/>); only client tokens name one.</param>
    public static string Create(SigningKey key, string issuer, string audience, string role, string subject,
        DateTimeOffset notBefore, DateTimeOffset expires, DateTimeOffset? issuedAt = null, long? customerId = null)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            Claims = customerId is { } customer ? new Dictionary<string, object> { [CustomerScope.ClaimName] = customer } : null,
            IssuedAt = (issuedAt ?? notBefore).UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = Credentials(key),
        };
        return handler.CreateToken(descriptor);
    }

    /// <summary>
    /// A token valid from now + <paramref name="notBefore"/> until now + <paramref name="expiresIn"/>, for tools and
    /// tests: a negative <paramref name="expiresIn"/> gives a token that has expired (it was valid once, for the five
    /// minutes before), a positive <paramref name="notBefore"/> one that is not valid yet.
    /// </summary>
    public static string Create(SigningKey key, string issuer, string audience, string role, string subject,
        TimeSpan expiresIn, TimeSpan notBefore, long? customerId = null)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = now + expiresIn;
        var validFrom = now + notBefore;
        return expires <= validFrom
            ? Create(key, issuer, audience, role, subject, expires - TimeSpan.FromMinutes(5), expires, customerId: customerId)
            : Create(key, issuer, audience, role, subject, validFrom, expires, issuedAt: validFrom < now ? validFrom : now, customerId);
    }

    private static SigningCredentials Credentials(SigningKey key) =>
        new(key.SecurityKey(), SecurityAlgorithms.EcdsaSha256);
}
