using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Challenge.Identity;

/// <summary>
/// Mints the short-lived tokens this service presents to another one (<c>aud</c> = the called service): its own service
/// token, or, for the operator console, an operator's token naming the person signed in to it. A token is reused until
/// a minute before it expires, so the hot path signs once every few minutes, not per call.
/// </summary>
public sealed class ServiceTokenIssuer(IOptions<AuthOptions> options, TimeProvider time)
{
    private static readonly TimeSpan renewBefore = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<(string Audience, string Role, string Subject), (string Token, DateTimeOffset RenewAt)> cache = new();

    /// <summary>This service's own token for <paramref name="audience"/> (<c>sub</c> = its resource name).</summary>
    public string GetToken(string audience) => GetToken(audience, Roles.Service, options.Value.Audience);

    /// <summary>An operator's token for <paramref name="audience"/> that names <paramref name="person"/>, for the signer that may vouch for people it signed in.</summary>
    public string GetOperatorToken(string audience, string person) => GetToken(audience, Roles.Operator, person);

    private string GetToken(string audience, string role, string subject)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue((audience, role, subject), out var cached) && now < cached.RenewAt)
        {
            return cached.Token;
        }
        var auth = options.Value;
        var key = auth.SigningKey ?? throw new InvalidOperationException("Auth:SigningKey is validated at start-up by AddServiceTokens.");
        var lifetime = auth.ServiceTokenLifetime;
        var token = TokenFactory.Create(key, auth.Issuer, audience, role, subject, now, now + lifetime);
        cache[(audience, role, subject)] = (token, now + lifetime - (lifetime > renewBefore * 2 ? renewBefore : lifetime / 2));
        return token;
    }
}
