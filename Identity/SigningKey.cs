using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.Identity;

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
