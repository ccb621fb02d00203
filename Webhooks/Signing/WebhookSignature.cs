using System.Security.Cryptography;
using System.Text;

namespace Challenge.Webhooks.Signing;

/// <summary>
/// Standard Webhooks' signature: <c>v1,</c> and the base64 HMAC-SHA256 of <c>{webhook-id}.{webhook-timestamp}.{body}</c>,
/// keyed with the subscription's secret (<c>whsec_</c> and the key in base64), so that a receiver's own Standard
/// Webhooks library verifies what is sent. During a rotation's overlap a delivery carries one signature per secret,
/// space-separated, the new secret's first.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>A subscription's secret: <c>whsec_</c> and 32 random bytes in base64, as Standard Webhooks has it.</summary>
    public static string NewSecret() => $"{SecretPrefix}{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}";

    public static string Sign(string secret, string id, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        return $"v1,{Convert.ToBase64String(signature)}";
    }

    /// <summary>The <c>webhook-signature</c> header: one signature per secret, in the order given (the newest first).</summary>
    public static string Sign(IEnumerable<string> secrets, string id, long timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, id, timestamp, body)));
}
