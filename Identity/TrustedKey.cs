using Microsoft.IdentityModel.Tokens;

namespace Challenge.Identity;

/// <summary>A public ES256 key (P-256, SubjectPublicKeyInfo DER in base64) and the signer it speaks for (see <see cref="Signers"/>).</summary>
public sealed class TrustedKey
{
    public string PublicKey { get; set; } = "";

    public string Signer { get; set; } = "";

    public bool IsValid() => !string.IsNullOrWhiteSpace(Signer) && Keys.TryImport(PublicKey, (key, bytes) => key.ImportSubjectPublicKeyInfo(bytes, out _));

    public ECDsaSecurityKey SecurityKey() => Keys.Import(PublicKey, (key, bytes) => key.ImportSubjectPublicKeyInfo(bytes, out _));
}
