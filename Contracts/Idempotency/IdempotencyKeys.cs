using Challenge.Contracts.Validation;

namespace Challenge.Contracts.Idempotency;

/// <summary>
/// How a request names its Idempotency-Key (the IETF draft's header, or <c>X-Idempotency-Key</c>, which the original
/// system's clients send): 1 to 255 printable ASCII characters; both headers at once must agree. The orchestrator also
/// takes the key from its body. A request's headers are read through <c>header</c>: a header's value by name, or null.
/// </summary>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const string Synonym = "X-Idempotency-Key";
    public const string BodyField = "idempotency_key";
    public const int MaxLength = 255;

    /// <summary>The key of the headers: null when neither is sent; an error when it is malformed or the two disagree.</summary>
    public static string? Read(Func<string, string?> header, ValidationErrors errors)
    {
        var key = header(Header);
        var synonym = header(Synonym);
        if (key is not null && synonym is not null && key != synonym)
        {
            errors.Add(Header, $"{Header} and {Synonym} disagree; send one of them.");
            return null;
        }
        var value = key ?? synonym;
        if (value is not null && !IsValid(value))
        {
            errors.Add(Header, $"{Header} must be 1 to {MaxLength} printable ASCII characters.");
            return null;
        }
        return value;
    }

    /// <summary>The key of a request that must carry one: as <see cref="Read"/>, and an error when none is sent.</summary>
    public static string? ReadRequired(Func<string, string?> header, ValidationErrors errors)
    {
        var key = Read(header, errors);
        if (key is null && errors.IsEmpty)
        {
            errors.Add(Header, $"{Header} is required: 1 to {MaxLength} printable ASCII characters.");
        }
        return key;
    }

    /// <summary>
    /// The orchestrator's key, which is required: the body's <c>idempotency_key</c> when it has one (the original
    /// system's clients send a random header beside a fixed body key, so the body wins), else the headers, by the rule
    /// of <see cref="Read"/>.
    /// </summary>
    public static string? ReadRequired(string? bodyKey, Func<string, string?> header, ValidationErrors errors)
    {
        if (bodyKey is not null)
        {
            if (!IsValid(bodyKey))
            {
                errors.Add(BodyField, $"The idempotency key must be 1 to {MaxLength} printable ASCII characters.");
            }
            return bodyKey;
        }
        if (header(Header) is null && header(Synonym) is null)
        {
            errors.Add(BodyField, $"An idempotency key is required: the {BodyField} field or the {Header} header.");
            return null;
        }
        return Read(header, errors);
    }

    public static bool IsValid(string key) =>
        key.Length is > 0 and <= MaxLength && key.All(c => c is >= ' ' and <= '~');
}
