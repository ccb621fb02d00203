using System.Globalization;
using Challenge.OperatorConsole.Apis;

namespace Challenge.OperatorConsole.Components;

/// <summary>Whole numbers typed in a form, read before anything is sent: what is not one is refused beside its field, in the API's words' form.</summary>
public static class Numbers
{
    public static (long? First, long? Second, ApiProblem? Problem) Read((string Field, string? Text) first, (string Field, string? Text) second)
    {
        var errors = new Dictionary<string, string[]>();
        var a = Parse(first, errors);
        var b = Parse(second, errors);
        return (a, b, errors.Count == 0 ? null : Invalid(errors));
    }

    public static (long? Value, ApiProblem? Problem) Read((string Field, string? Text) field)
    {
        var errors = new Dictionary<string, string[]>();
        var value = Parse(field, errors);
        return (value, errors.Count == 0 ? null : Invalid(errors));
    }

    private static long? Parse((string Field, string? Text) field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(field.Text))
        {
            return null;
        }
        if (long.TryParse(field.Text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        errors[field.Field] = [$"{field.Field} must be a whole number."];
        return null;
    }

    private static ApiProblem Invalid(Dictionary<string, string[]> errors) => new(400, "Some fields are not valid", null, errors);
}
