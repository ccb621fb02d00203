namespace Challenge.Identity;

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
