using System.Security.Cryptography;
using System.Text;

namespace Challenge.OrderEvents.Dispatching;

/// <summary>
/// Standard Webhooks' signature: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// keyed with the subscription's secret (<c>whsec_</c> and the key in base64), so that a receiver's own Standard
/// Webhooks library verifies what is sent.
/// </summary>
public static class WebhookSignature
{
    private const string SecretPrefix = "whsec_";

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return $"v1,{Convert.ToBase64String(signature)}";
    }
}
