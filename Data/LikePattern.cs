using System.Text;

namespace Challenge.Data;

/// <summary>Text searched for as a substring with <c>LIKE</c>: its wildcards escaped, so that they match themselves.</summary>
public static class LikePattern
{
    public const char Escape = '!';

    /// <summary>The pattern that finds <paramref name="text"/> anywhere, or null for no text (no filter).</summary>
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
