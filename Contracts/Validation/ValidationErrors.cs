namespace Challenge.Contracts.Validation;

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

    /// <summary>Each field and its messages, as a validation problem lists them.</summary>
    public Dictionary<string, string[]> ByField() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}
