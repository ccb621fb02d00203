using Aspire.Hosting.Publishing;
using Challenge.Identity;

namespace Challenge.AppHost;

/// <summary>
/// A parameter's generated value that is an ES256 private key (base64 PKCS#8 of a P-256 key), as
/// <see cref="GenerateParameterDefault"/> is a generated password: with <c>persist</c>, Aspire keeps it in the
/// AppHost's user secrets, so that the keys, and the tokens they signed, survive restarts.
/// </summary>
internal sealed class SigningKeyDefault : ParameterDefault
{
    public override string GetDefaultValue() => SigningKey.Generate().PrivateKey;

    public override void WriteToManifest(ManifestPublishingContext context) => context.Writer.WriteString("value", "<a base64 PKCS#8 P-256 private key>");
}

/// <summary>
/// A parameter's generated value that is the certificate (PEM, with its private key) encrypting the webhook secrets'
/// key ring: kept like the signing keys, so that the secrets stored by one run are read by the next.
/// </summary>
internal sealed class KeyRingCertificateDefault : ParameterDefault
{
    public override string GetDefaultValue() => Challenge.Webhooks.Signing.KeyRingCertificate.Generate();

    public override void WriteToManifest(ManifestPublishingContext context) => context.Writer.WriteString("value", "<a PEM certificate with its RSA private key>");
}
