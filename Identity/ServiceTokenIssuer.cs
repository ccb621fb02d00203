using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Challenge.Identity;

/// <summary>
/// Mints the short-lived token this service presents to another one (<c>aud</c> = the called service).
/// A token is reused until a minute before it expires, so the hot path signs once every few minutes, not per call.
/// </summary>
public sealed class ServiceTokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private static readonly TimeSpan renewBefore = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> cache = new();

    public string GetToken(string audience)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(audience, out var cached) && now < cached.RenewAt)
        {
            return cached.Token;
        }
        var auth = options.Value;
        var key = auth.SigningKey ?? throw new InvalidOperationException("Auth:SigningKey is validated at start-up by AddServiceTokens.");
        var lifetime = auth.ServiceTokenLifetime;
        var token = TokenFactory.Create(key, auth.Issuer, audience, Roles.Service, auth.Audience, now, now + lifetime);
        cache[audience] = (token, now + lifetime - (lifetime > renewBefore * 2 ? renewBefore : lifetime / 2));
        return token;
    }
}
