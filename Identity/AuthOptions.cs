using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.Identity;

/// <summary>The <c>Auth</c> configuration section every service binds and validates at start-up.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The <c>iss</c> every token of this deployment carries.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>This service's own resource name: tokens must name it in <c>aud</c>, and the tokens it mints name it in <c>sub</c>.</summary>
    public string Audience { get; set; } = "";

    /// <summary>This service's own private key, which signs the service tokens it mints; only services that call others have one.</summary>
    public SigningKey? SigningKey { get; set; }

    /// <summary>The public keys whose tokens this service accepts, each bound to the one signer it speaks for (several per signer during a rotation).</summary>
    public List<TrustedKey> TrustedKeys { get; set; } = [];

    /// <summary>How long a minted service token lives.</summary>
    public TimeSpan ServiceTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest lifetime (<c>exp - iat</c>) a service token may claim; a longer one is refused.</summary>
    public TimeSpan ServiceTokenMaxLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest lifetime an operator or client token may claim; a longer one is refused.</summary>
    public TimeSpan UserTokenMaxLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan MaxLifetime(string? role) => role == Roles.Service ? ServiceTokenMaxLifetime : UserTokenMaxLifetime;
}

/// <summary>
/// Who may sign what. The operator key signs the tokens of people (operators and clients) and is held by whoever issues
/// them, never by a service; each service's key signs only its own service tokens (<c>sub</c> = its resource name).
/// </summary>
public static class Signers
{
    public const string Operator = "operator";

    /// <summary>Whether a key of <paramref name="signer"/> may vouch for a token with this role and subject.</summary>
    public static bool MaySign(string signer, string? role, string? subject) => signer == Operator
        ? role is Roles.Operator or Roles.Client
        : role == Roles.Service && subject == signer;
}

/// <summary>
/// A private ES256 key (P-256, PKCS#8 DER in base64): one service's own, or the operator's. Its <c>kid</c> is the
/// RFC 7638 thumbprint of its public key, so a key and its public half can never be configured under different ids.
/// </summary>
public sealed class SigningKey
{
    public string PrivateKey { get; set; } = "";

    public bool IsValid() => Keys.TryImport(PrivateKey, (key, bytes) => key.ImportPkcs8PrivateKey(bytes, out _));

    public ECDsaSecurityKey SecurityKey() => Keys.Import(PrivateKey, (key, bytes) => key.ImportPkcs8PrivateKey(bytes, out _));

    /// <summary>The public half, to give to the validators that accept this key's tokens.</summary>
    public TrustedKey Trusted(string signer)
    {
        using var key = SecurityKey().ECDsa;
        return new() { PublicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo()), Signer = signer };
    }

    public string Id() => Keys.IdOf(SecurityKey());

    public static SigningKey Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new() { PrivateKey = Convert.ToBase64String(key.ExportPkcs8PrivateKey()) };
    }
}

/// <summary>A public ES256 key (P-256, SubjectPublicKeyInfo DER in base64) and the signer it speaks for (see <see cref="Signers"/>).</summary>
public sealed class TrustedKey
{
    public string PublicKey { get; set; } = "";

    public string Signer { get; set; } = "";

    public bool IsValid() => !string.IsNullOrWhiteSpace(Signer) && Keys.TryImport(PublicKey, (key, bytes) => key.ImportSubjectPublicKeyInfo(bytes, out _));

    public ECDsaSecurityKey SecurityKey() => Keys.Import(PublicKey, (key, bytes) => key.ImportSubjectPublicKeyInfo(bytes, out _));
}

internal static class Keys
{
    private const string P256 = "1.2.840.10045.3.1.7";

    public static ECDsaSecurityKey Import(string base64, Action<ECDsa, byte[]> import)
    {
        var key = ECDsa.Create();
        try
        {
            import(key, Convert.FromBase64String(base64));
            if (key.ExportParameters(includePrivateParameters: false).Curve.Oid.Value != P256)
            {
                throw new CryptographicException("An ES256 key is on the P-256 curve (secp256r1).");
            }
        }
        catch
        {
            key.Dispose();
            throw;
        }
        var securityKey = new ECDsaSecurityKey(key);
        securityKey.KeyId = IdOf(securityKey);
        return securityKey;
    }

    public static bool TryImport(string base64, Action<ECDsa, byte[]> import)
    {
        try
        {
            Import(base64, import).ECDsa.Dispose();
            return true;
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException or ArgumentException)
        {
            return false;
        }
    }

    public static string IdOf(ECDsaSecurityKey key) => Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
}

public static class Roles
{
    /// <summary>People who run the platform: customers, products, stock, orders.</summary>
    public const string Operator = "operator";

    /// <summary>A service calling another one; its <c>sub</c> names which.</summary>
    public const string Service = "service";

    /// <summary>A business that orders for itself: its token names its customer (<see cref="CustomerScope"/>).</summary>
    public const string Client = "client";
}

/// <summary>The product's services by resource name: the <c>aud</c> of tokens for them, the <c>sub</c> of tokens they mint.</summary>
public static class ServiceNames
{
    public const string CustomersApi = "customers-api";
    public const string OrdersApi = "orders-api";
    public const string Orchestrator = "orchestrator";

    /// <summary>The order events' dispatcher: it calls no service, only the subscribers' receivers.</summary>
    public const string OrderEvents = "order-events";
}

/// <summary>
/// Whose orders a caller may see, place or change. Operators are staff and act for every customer, as do services and
/// Development's anonymous caller; a client is one business, and its token names the customer it acts for
/// (<see cref="ClaimName"/>), checked when the token is validated. Every route that touches orders decides from this,
/// never from a <c>customer_id</c> in a client's body or query.
/// </summary>
public readonly record struct CustomerScope(long? CustomerId)
{
    /// <summary>The claim of a client token that names its customer.</summary>
    public const string ClaimName = "customer_id";

    public static readonly CustomerScope Everyone = new(null);

    /// <summary>The scope of a validated caller: its token's customer for a client, every customer otherwise.</summary>
    public static CustomerScope Of(System.Security.Claims.ClaimsPrincipal user) =>
        user.IsInRole(Roles.Client) && TryParse(user.FindFirst(ClaimName)?.Value, out var customerId) ? new(customerId) : Everyone;

    /// <summary>
    /// The same rule in SQL, for a table's <c>customer_id</c>: a statement that holds it takes the scope's
    /// <see cref="CustomerId"/> as <c>@tenant</c>, so that a client's statement never reads or changes another's rows.
    /// </summary>
    public const string SqlFilter = "(@tenant IS NULL OR customer_id = @tenant)";

    /// <summary>Whether the caller may act for <paramref name="customerId"/>.</summary>
    public bool Allows(long customerId) => CustomerId is null || CustomerId == customerId;

    public static bool TryParse(string? value, out long customerId) =>
        long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out customerId) && customerId > 0;
}

/// <summary>
/// Who is calling, as idempotency keys are scoped: the token's subject and, for a client, the customer it acts for (one
/// subject may act for several businesses, and a key one of them used must replay nothing to another); or the
/// anonymous caller of Development.
/// </summary>
public static class Callers
{
    public const string Anonymous = "anonymous";

    /// <remarks>A validated token always names a subject that is not blank (<see cref="AuthExtensions"/> refuses one that does not).</remarks>
    public static string Of(System.Security.Claims.ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated != true ? Anonymous
        : CustomerScope.Of(user).CustomerId is { } customerId ? $"customer:{customerId}|sub:{user.FindFirst("sub")!.Value}"
        : $"sub:{user.FindFirst("sub")!.Value}";
}

public static class AuthPolicies
{
    /// <summary>Customers, and changes to products: operators only (in Development, anonymous callers too).</summary>
    public const string Operator = "operator";

    /// <summary>
    /// The orchestrator, orders and reading products: clients (each within its <see cref="CustomerScope"/>) and operators
    /// (in Development, anonymous callers too).
    /// </summary>
    public const string Client = "client";
}
