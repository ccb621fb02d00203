using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Challenge.Webhooks.Signing;

/// <summary>
/// The certificate whose key encrypts the Data Protection key ring (<see cref="WebhookSecrets"/>): a self-signed RSA
/// certificate and its private key as one PEM text, the form a deployment's secret store keeps it in.
/// </summary>
public static class KeyRingCertificate
{
    /// <summary>A new certificate with its private key, as PEM: for a deployment, or the local stack's first run.</summary>
    public static string Generate()
    {
        using var key = RSA.Create(3072);
        var request = new CertificateRequest("CN=challenge-webhook-secrets", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(100));
        return $"{certificate.ExportCertificatePem()}\n{key.ExportPkcs8PrivateKeyPem()}\n";
    }

    /// <summary>The certificate of <paramref name="pem"/>, with its private key; null when the text holds no such pair.</summary>
    public static X509Certificate2? TryLoad(string pem)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPem(pem, pem);
            if (certificate.HasPrivateKey && certificate.GetRSAPrivateKey() is not null)
            {
                return certificate;
            }
            certificate.Dispose();
            return null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
