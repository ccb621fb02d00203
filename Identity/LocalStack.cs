namespace Challenge.Identity;

/// <summary>
/// The local stack's key material as the AppHost declares it: one secret parameter per signer holding its private
/// key, one holding the webhook secrets' key ring certificate, and the issuer every service of the stack expects. The token tool and the test harness read them by these names.
/// </summary>
public static class LocalStack
{
    public const string Issuer = "challenge";

    /// <summary>
    /// Who holds a private key: the operator (people's tokens; given to no service), each service that calls others,
    /// and the operator console (operators' tokens for the people signed in to it).
    /// </summary>
    public static readonly IReadOnlyList<string> Signers = [Identity.Signers.Operator, ServiceNames.OrdersApi, ServiceNames.Orchestrator, Identity.Signers.OperatorConsole];

    /// <summary>The AppHost parameter that holds a signer's private key (base64 PKCS#8 of a P-256 key).</summary>
    public static string SigningKeyParameter(string signer) => $"{signer}-signing-key";

    /// <summary>The AppHost parameter that holds the certificate (PEM, with its private key) encrypting the webhook secrets' key ring.</summary>
    public const string KeyRingCertificateParameter = "webhooks-key-ring-certificate";
}
