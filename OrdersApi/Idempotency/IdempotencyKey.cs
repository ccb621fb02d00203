using System.Security.Cryptography;
using System.Text;
using Challenge.ServiceDefaults.Http;

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

public static class IdempotencyHeaders
{
    public const string Key = "Idempotency-Key";
    public const string Synonym = "X-Idempotency-Key";
    public const int MaxKeyLength = 255;

    /// <summary>
    /// Reads the key from <c>Idempotency-Key</c> or its synonym <c>X-Idempotency-Key</c> (the seed's name):
    /// null when neither is sent; an error when it is malformed or the two disagree.
    /// </summary>
    public static string? Read(HttpRequest request, ValidationErrors errors)
    {
        string? key = request.Headers[Key];
        string? synonym = request.Headers[Synonym];
        if (key is not null && synonym is not null && key != synonym)
        {
            errors.Add(Key, $"{Key} and {Synonym} disagree; send one of them.");
            return null;
        }
        var value = key ?? synonym;
        if (value is not null && !IsValid(value))
        {
            errors.Add(Key, $"{Key} must be 1 to {MaxKeyLength} printable ASCII characters.");
            return null;
        }
        return value;
    }

    /// <summary>The key of a request that must carry one: as <see cref="Read"/>, and an error when none is sent.</summary>
    public static string? ReadRequired(HttpRequest request, ValidationErrors errors)
    {
        var key = Read(request, errors);
        if (key is null && errors.IsEmpty)
        {
            errors.Add(Key, $"{Key} is required: 1 to {MaxKeyLength} printable ASCII characters.");
        }
        return key;
    }

    public static bool IsValid(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');
}
