using System.Security.Cryptography;
using System.Text;

namespace Challenge.OrdersApi.Idempotency;

/// <summary>
/// A request made under an Idempotency-Key: the operation the key is scoped to, the key as the client sent it, the
/// key as it is stored (a hash of the caller and the key: the same key from two callers is two keys, and no key is
/// stored or logged whole), and a fingerprint of what was asked (operation, target, canonical body), so that a
/// different request under the same key is told apart.
/// </summary>
public sealed record IdempotentRequest(string Operation, string Key, string StoredKey, byte[] Fingerprint)
{
    public static IdempotentRequest Create(string operation, string caller, string key, string canonicalRequest) =>
        new(operation, key, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{caller}\n{key}"))),
            SHA256.HashData(Encoding.UTF8.GetBytes($"{operation}\n{canonicalRequest}")));
}
