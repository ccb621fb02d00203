using System.Text.Json;
using System.Text.RegularExpressions;

namespace Challenge.ApiConventions;

/// <summary>
/// A query or route value the binder could not read as its parameter's type (<c>limit=ten</c>, <c>from=yesterday</c>):
/// named as the field a client sent, with what it must be.
/// </summary>
internal static partial class QueryBinding
{
    /// <summary>The field and its message, from the binder's own failure; null for any other failure.</summary>
    public static (string Field, string Message)? Failure(string binderMessage)
    {
        var match = BindingFailure().Match(binderMessage);
        if (!match.Success)
        {
            return null;
        }
        var field = JsonNamingPolicy.SnakeCaseLower.ConvertName(match.Groups["name"].Value);
        var type = match.Groups["type"].Value.TrimEnd('?');
        return (field, type switch
        {
            "int" or "long" => $"{field} must be a whole number.",
            "DateTimeOffset" or "DateTime" => $"{field} must be an ISO 8601 timestamp, e.g. 2026-11-24T08:00:00Z.",
            _ => $"{field} has a value of the wrong form.",
        });
    }

    // ASP.NET Core's wording: Failed to bind parameter "int Limit" from "ten".
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from """)]
    private static partial Regex BindingFailure();
}
