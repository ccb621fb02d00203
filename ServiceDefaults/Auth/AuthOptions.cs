namespace Challenge.ServiceDefaults.Auth;

/// <summary>The <c>Auth</c> configuration section every service binds and validates at start-up.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The <c>iss</c> every token of this deployment carries.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>This service's own resource name: tokens must name it in <c>aud</c>.</summary>
    public string Audience { get; set; } = "";

    /// <summary>The current key: signs the tokens this service mints and validates incoming ones.</summary>
    public SigningKey? SigningKey { get; set; }

    /// <summary>Further keys still accepted (the previous or next key during a rotation), selected by <c>kid</c>.</summary>
    public List<SigningKey> ValidationKeys { get; set; } = [];

    /// <summary>How long a minted service token lives.</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<SigningKey> AllKeys =>
        SigningKey is null ? ValidationKeys : ValidationKeys.Prepend(SigningKey);
}

/// <summary>An HS256 key: its <c>kid</c> and its secret, base64 of at least 32 random bytes.</summary>
public sealed class SigningKey
{
    public const int MinimumBytes = 32;

    public string Id { get; set; } = "";

    public string Secret { get; set; } = "";

    public byte[] SecretBytes() => Convert.FromBase64String(Secret);

    public bool IsValid()
    {
        Span<byte> buffer = stackalloc byte[Secret.Length];
        return !string.IsNullOrWhiteSpace(Id)
            && Convert.TryFromBase64String(Secret, buffer, out var length)
            && length >= MinimumBytes;
    }

    public static SigningKey Generate() => new()
    {
        Id = $"key-{DateTime.UtcNow:yyyyMMdd}-{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4))}",
        Secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(MinimumBytes)),
    };
}

public static class Roles
{
    public const string Operator = "operator";
    public const string Service = "service";
}

public static class AuthPolicies
{
    /// <summary>Public endpoints: operators, and services calling on a user's behalf.</summary>
    public const string Operator = "operator";

    /// <summary><c>/internal/*</c>: services only, in every environment.</summary>
    public const string Service = "service";
}
