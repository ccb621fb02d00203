namespace Challenge.OperatorConsole.Access;

/// <summary>
/// How people sign in outside Development: the deployment's OpenID Connect provider, this console's client there, and
/// the claim that makes a person an operator (the <c>OpenIdConnect</c> section).
/// </summary>
public sealed class ConsoleAccessOptions
{
    public const string Section = "OpenIdConnect";

    /// <summary>The provider's issuer URL (its discovery document is under it).</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    public string ClientSecret { get; set; } = "";

    /// <summary>The claim, in the identity token, that names operators; with <see cref="OperatorClaimValue"/>.</summary>
    public string OperatorClaimType { get; set; } = "role";

    public string OperatorClaimValue { get; set; } = "operator";

    /// <summary>Off only for a provider on this machine (tests): the discovery document is fetched over HTTPS otherwise.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}
