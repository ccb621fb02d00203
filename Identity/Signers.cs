namespace Challenge.Identity;

/// <summary>
/// Who may sign what. The operator key signs the tokens of people (operators and clients) and is held by whoever issues
/// them, never by a service; the operator console's key signs operators' tokens only, for the person signed in to it
/// (<c>sub</c> = that person); each service's key signs only its own service tokens (<c>sub</c> = its resource name).
/// </summary>
public static class Signers
{
    public const string Operator = "operator";

    /// <summary>The operator console, which signs a short-lived operator token for each person who works in it.</summary>
    public const string OperatorConsole = ServiceNames.OperatorConsole;

    /// <summary>Whether a key of <paramref name="signer"/> may vouch for a token with this role and subject.</summary>
    public static bool MaySign(string signer, string? role, string? subject) => signer switch
    {
        Operator => role is Roles.Operator or Roles.Client,
        OperatorConsole => role == Roles.Operator,
        _ => role == Roles.Service && subject == signer,
    };
}
