using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.Identity;

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
