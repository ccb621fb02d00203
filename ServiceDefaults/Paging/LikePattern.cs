using System.Text;
using Challenge.ServiceDefaults.Http;

namespace Challenge.ServiceDefaults.Paging;

/// <summary>
/// Builds a <c>LIKE ... ESCAPE '!'</c> substring pattern in which the user's <c>%</c>, <c>_</c> and <c>\</c> match
/// literally. '!' rather than '\' as the escape character keeps the SQL independent of NO_BACKSLASH_ESCAPES.
/// </summary>
public static class LikePattern
{
    public const char Escape = '!';

    /// <summary>The pattern of a list's <c>search</c> parameter, or an error when it is longer than <paramref name="maxLength"/>.</summary>
    public static string? FromSearch(string? search, int maxLength, ValidationErrors errors)
    {
        if (search?.Length > maxLength)
        {
            errors.Add("search", $"search must be at most {maxLength} characters.");
            return null;
        }
        return Contains(UserText.Normalize(search));
    }

    public static string? Contains(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        var pattern = new StringBuilder(text.Length + 8).Append('%');
        foreach (var c in text)
        {
            if (c is '%' or '_' or Escape)
            {
                pattern.Append(Escape);
            }
            pattern.Append(c);
        }
        return pattern.Append('%').ToString();
    }
}
