using System.Globalization;

using Challenge.ServiceDefaults.Http;

namespace Challenge.ServiceDefaults.Paging;

/// <summary>A keyset page request: rows with <c>id &gt; Cursor</c>, <c>Limit</c> of them, by ascending id.</summary>
public readonly record struct PageRequest(int Limit, long Cursor)
{
    public const int DefaultLimit = 10;
    public const int MaxLimit = 100;

    /// <summary>One more row than asked for tells whether another page exists.</summary>
    public int Take => Limit + 1;

    public static PageRequest Parse(string? limit, string? cursor, ValidationErrors errors)
    {
        var parsedLimit = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out parsedLimit)
                                  || parsedLimit is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"limit must be a whole number from 1 to {MaxLimit}.");
        }
        long parsedCursor = 0;
        if (cursor is not null && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out parsedCursor))
        {
            errors.Add("cursor", "cursor must be the id of the last row of the previous page.");
        }
        return new(parsedLimit, parsedCursor);
    }

    /// <summary>Cuts the look-ahead row off and names the cursor of the next page, null on the last one.</summary>
    public Page<T> ToPage<T>(IReadOnlyList<T> rows, Func<T, long> id) =>
        rows.Count > Limit ? new(rows.Take(Limit).ToList(), id(rows[Limit - 1])) : new(rows, null);
}

public sealed record Page<T>(IReadOnlyList<T> Data, long? NextCursor)
{
    /// <summary>The same page, each row shown as <paramref name="show"/> makes it.</summary>
    public Page<TShown> Select<TShown>(Func<T, TShown> show) => new(Data.Select(show).ToList(), NextCursor);
}
