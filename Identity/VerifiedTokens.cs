using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.Identity;

/// <summary>
/// The tokens this service has already validated (signature, issuer, audience, lifetime), remembered until they
/// expire: a caller presents the same token for minutes (services) or hours (people), and an ES256 signature costs
/// ~130 µs of CPU to verify. Only valid tokens are kept, which only a holder of a trusted key can make, so the set
/// cannot be filled by a stranger; it is bounded all the same. A token not in it is "unverified": what the
/// per-address limit in front of authentication counts.
/// </summary>
public sealed class VerifiedTokens(TimeProvider time)
{
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTimeOffset Until)> tokens = new(StringComparer.Ordinal);

    public bool Contains(string token) => Find(token) is not null;

    /// <summary>The validation of <paramref name="token"/>, as new as the first (its identity a copy of the first's), while the token is valid.</summary>
    public TokenValidationResult? Find(string token)
    {
        if (!tokens.TryGetValue(token, out var known))
        {
            return null;
        }
        if (time.GetUtcNow() >= known.Until)
        {
            tokens.TryRemove(token, out _);
            return null;
        }
        return new TokenValidationResult
        {
            IsValid = true,
            SecurityToken = known.Result.SecurityToken,
            ClaimsIdentity = known.Result.ClaimsIdentity.Clone(),
            Issuer = known.Result.Issuer,
            TokenType = known.Result.TokenType,
        };
    }

    /// <summary>Remembers a token that has just passed validation, until it expires (less nothing: the skew is the validator's grace).</summary>
    public void Remember(string token, TokenValidationResult result)
    {
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            return;
        }
        if (tokens.Count >= Capacity)
        {
            var now = time.GetUtcNow();
            foreach (var expired in tokens.Where(entry => entry.Value.Until <= now).Select(entry => entry.Key).ToList())
            {
                tokens.TryRemove(expired, out _);
            }
            if (tokens.Count >= Capacity)
            {
                return;
            }
        }
        tokens[token] = (result, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero) + AuthExtensions.ClockSkew);
    }
}

/// <summary>The JWT handler, asked only once per token: later presentations of a token it validated are answered from <see cref="VerifiedTokens"/>.</summary>
internal sealed class RememberingTokenHandler(VerifiedTokens verified) : JsonWebTokenHandler
{
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (verified.Find(token) is { } known)
        {
            return known;
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        verified.Remember(token, result);
        return result;
    }
}
