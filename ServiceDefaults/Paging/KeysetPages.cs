using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Dapper;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Challenge.ServiceDefaults.Paging;

/// <summary>
/// A list endpoint's page, the same way for every list: <c>limit</c> 1..100 (default 10) and <c>cursor</c> checked,
/// <c>search</c> matched literally and ignoring case in the given columns, rows by ascending id after the cursor,
/// one look-ahead row telling whether there is a next page.
/// </summary>
public static class KeysetPages
{
    /// <param name="select">The row's <c>SELECT ... FROM table</c>; its rows have an <c>id</c>.</param>
    /// <param name="filter">A condition every listed row meets (e.g. not deleted), or null; its parameters are <paramref name="filterParameters"/>'s.</param>
    /// <param name="searchColumns">The columns <c>search</c> looks in.</param>
    public static async Task<Results<Ok<Page<T>>, ValidationProblem>> ListAsync<T>(this Database db, string select, string? filter,
        IReadOnlyList<string> searchColumns, int maxSearchLength, Func<T, long> id, string? search, string? cursor, string? limit,
        CancellationToken cancellationToken, object? filterParameters = null)
    {
        var errors = new ValidationErrors();
        var page = PageRequest.Parse(limit, cursor, errors);
        var pattern = LikePattern.FromSearch(search, maxSearchLength, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        var matches = searchColumns.Count == 0 ? "FALSE" : string.Join(" OR ", searchColumns.Select(column => $"{column} LIKE @pattern ESCAPE '{LikePattern.Escape}'"));
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
        return TypedResults.Ok(page.ToPage(rows.AsList(), id));
    }
}
