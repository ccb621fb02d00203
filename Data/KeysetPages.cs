using Dapper;

namespace Challenge.Data;

/// <summary>Keyset pagination by id, the one way every list is read: a deep page costs what the first does.</summary>
public static class KeysetPages
{
    /// <summary>
    /// A page of <paramref name="select"/> (which names its table, no <c>WHERE</c>) past the page's cursor by id, within
    /// <paramref name="filter"/> (SQL over <paramref name="filterParameters"/>), and when <paramref name="pattern"/> is
    /// given (<see cref="LikePattern"/>), rows where any of <paramref name="searchColumns"/> matches it.
    /// </summary>
    public static async Task<Page<T>> PageAsync<T>(this Database db, string select, PageRequest page, Func<T, long> id,
        CancellationToken cancellationToken, string? filter = null, object? filterParameters = null,
        IReadOnlyList<string>? searchColumns = null, string? pattern = null)
    {
        var matches = searchColumns is null or [] ? "FALSE" : string.Join(" OR ", searchColumns.Select(column => $"{column} LIKE @pattern ESCAPE '{LikePattern.Escape}'"));
        var sql = $"""
            {select}
            WHERE {filter ?? "TRUE"}
              AND id > @Cursor
              AND (@pattern IS NULL OR {matches})
            ORDER BY id
            LIMIT @Take
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var parameters = new DynamicParameters(filterParameters);
        parameters.AddDynamicParams(new { page.Cursor, page.Take, pattern });
        var rows = await connection.QueryAsync<T>(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken));
        return page.ToPage(rows.AsList(), id);
    }
}
