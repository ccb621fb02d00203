using Challenge.Contracts.Validation;
using System.Globalization;
using System.Text;

namespace Challenge.ApiConventions;

/// <summary>
/// Text a person typed, as it is validated and stored: trimmed and in Unicode NFC, so that "é" typed as one code
/// point or as "e" and a combining accent is one value (one e-mail, one uniqueness check, one search match); and
/// free of control (Cc) and format (Cf) characters, which no name, e-mail or phone needs and which make two values
/// that look the same differ (a zero-width space, a right-to-left override).
/// </summary>
public static class UserText
{
    /// <summary>The value to validate and store, or null when absent; an error for <paramref name="field"/> when it holds what it must not.</summary>
    public static string? Read(string? value, string field, ValidationErrors errors)
    {
        if (value is null)
        {
            return null;
        }
        if (!TryNormalize(value.Trim(), out var text))
        {
            errors.Add(field, $"{field} is not valid Unicode text.");
        }
        else if (text.EnumerateRunes().Any(rune => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format))
        {
            errors.Add(field, $"{field} must not contain control or invisible formatting characters.");
        }
        return text;
    }

    /// <summary>A search term in the form values are stored in, so that it finds them however it was typed.</summary>
    public static string? Normalize(string? value) =>
        value is not null && TryNormalize(value, out var normalized) ? normalized : value;

    private static bool TryNormalize(string value, out string normalized)
    {
        try
        {
            normalized = value.Normalize(NormalizationForm.FormC);
            return true;
        }
        catch (ArgumentException)
        {
            // A lone surrogate: not text.
            normalized = value;
            return false;
        }
    }
}
