using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Challenge.ServiceDefaults.Http;

/// <summary>Validation failures keyed by the snake_case field path (<c>email</c>, <c>items[0].qty</c>).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = [];

    public bool IsEmpty => errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }
        messages.Add(message);
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        detail: "One or more fields are invalid.");
}
