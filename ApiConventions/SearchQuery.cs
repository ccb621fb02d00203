using Challenge.Contracts.Validation;
using Challenge.Data;
using Microsoft.AspNetCore.Mvc;

namespace Challenge.ApiConventions;

/// <summary>Text a list is searched for (<c>search</c>), as a substring, case- and accent-insensitively as the columns' collation compares.</summary>
public sealed record SearchQuery([FromQuery(Name = "search")] string? Search = null)
{
    /// <summary>The <c>LIKE</c> pattern of the text, read as people's text is (NFC, trimmed), or null for no search.</summary>
    public string? Validate(int maxLength, ValidationErrors errors)
    {
        if (Search?.Length > maxLength)
        {
            errors.Add("search", $"search must be at most {maxLength} characters.");
            return null;
        }
        return LikePattern.Contains(UserText.Normalize(Search));
    }
}
