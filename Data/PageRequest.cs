namespace Challenge.Data;

/// <summary>A keyset page to read: up to <see cref="Limit"/> rows whose id is past <see cref="Cursor"/>.</summary>
public readonly record struct PageRequest(int Limit, long Cursor)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    /// <summary>One row more than the page holds: its presence says that another page follows.</summary>
    public int Take => Limit + 1;

    /// <summary>The page of <paramref name="rows"/> (read with <see cref="Take"/>), with the cursor of the next page when there is one.</summary>
    public Page<T> ToPage<T>(IReadOnlyList<T> rows, Func<T, long> id) =>
        rows.Count > Limit ? new(rows.Take(Limit).ToList(), id(rows[Limit - 1])) : new(rows, null);
}
