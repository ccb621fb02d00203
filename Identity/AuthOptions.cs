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

    /// <summary>
    /// The longest lifetime a token of <paramref name="signer"/> may claim: the operator console mints short-lived tokens
    /// as a service does, so a token of its key that claims more is refused, whatever its role.
    /// </summary>
    public TimeSpan MaxLifetime(string? role, string signer) => signer == Signers.OperatorConsole ? ServiceTokenMaxLifetime : MaxLifetime(role);
}
