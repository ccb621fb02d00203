namespace Challenge.Contracts.Correlation;

/// <summary>What a correlation id may be, wherever one is taken: from a caller's header, or from an orchestration's body.</summary>
public static class CorrelationIds
{
    public const int MaxLength = 128;

    /// <summary>A caller's id is kept when it is 1..128 printable ASCII characters; anything else is replaced.</summary>
    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength && value.All(c => c is > ' ' and <= '~');
}
