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

    /// <summary>The longest lifetime (<c>exp - iat</c>) a service token may claim; a longer one is refused.</summary>
    public TimeSpan ServiceTokenMaxLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest lifetime an operator or client token may claim; a longer one is refused.</summary>
    public TimeSpan UserTokenMaxLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan MaxLifetime(string? role) => role == Roles.Service ? ServiceTokenMaxLifetime : UserTokenMaxLifetime;

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
    /// <summary>People who run the platform: customers, products, stock, orders.</summary>
    public const string Operator = "operator";

    /// <summary>A service calling another one; its <c>sub</c> names which.</summary>
    public const string Service = "service";

    /// <summary>The businesses that order, through the orchestrator.</summary>
    public const string Client = "client";
}

/// <summary>The product's services by resource name: the <c>aud</c> of tokens for them, the <c>sub</c> of tokens they mint.</summary>
public static class ServiceNames
{
    public const string CustomersApi = "customers-api";
    public const string OrdersApi = "orders-api";
    public const string Orchestrator = "orchestrator";
}

/// <summary>Who is calling, as idempotency keys are scoped: the token's subject, or the anonymous caller of Development.</summary>
public static class Callers
{
    public const string Anonymous = "anonymous";

    public static string Of(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true && user.FindFirst("sub")?.Value is { Length: > 0 } subject ? $"sub:{subject}" : Anonymous;
}

public static class AuthPolicies
{
    /// <summary>The APIs' public endpoints: operators only (in Development, anonymous callers too).</summary>
    public const string Operator = "operator";

    /// <summary>The orchestrator's public endpoint: clients and operators (in Development, anonymous callers too).</summary>
    public const string Client = "client";
}
