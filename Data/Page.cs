namespace Challenge.Data;

/// <summary>A page of a list, and the cursor that reads the next one (null on the last page).</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, long? NextCursor)
{
    public Page<TShown> Select<TShown>(Func<T, TShown> show) => new(Data.Select(show).ToList(), NextCursor);
}
