using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.ServiceDefaults.Auth;

/// <summary>Mints HS256 JWTs with a <c>kid</c> header: service tokens, and operator tokens for tools and tests.</summary>
public static class TokenFactory
{
    private static readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public static string Create(SigningKey key, string issuer, string audience, string role, string subject,
        DateTimeOffset notBefore, DateTimeOffset expires)
    {
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("role", role)]),
            IssuedAt = notBefore.UtcDateTime,
            NotBefore = notBefore.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = Credentials(key),
        };
        return handler.CreateToken(descriptor);
    }

    public static SymmetricSecurityKey SecurityKey(SigningKey key) => new(key.SecretBytes()) { KeyId = key.Id };

    private static SigningCredentials Credentials(SigningKey key) =>
        new(SecurityKey(key), SecurityAlgorithms.HmacSha256);
}
