using Challenge.OperatorConsole.Apis;
using Challenge.OperatorConsole.Apis.Models;

namespace Challenge.OperatorConsole.Components.Parts;

/// <summary>
/// A list page's state: the page shown, the query and cursor it was read with, and why the last reading failed. A
/// refused query or page turn leaves the page, its query and its cursor as they were (the next turn continues what is
/// shown, not what was typed since), and its refusal stays until another query or turn succeeds, whatever a refresh
/// of the page shown does meanwhile.
/// </summary>
/// <param name="read">Reads one page: the query (filters, already a query string) and the cursor (0: the first page).</param>
public sealed class KeysetList<T>(Func<string, long, Task<ApiResult<ApiPage<T>>>> read)
{
    private ApiProblem? refused, refreshFailed;

    public ApiPage<T>? Page { get; private set; }

    public string Query { get; private set; } = "";

    public long Cursor { get; private set; }

    /// <summary>Why the last query or turn was refused, else why the last refresh failed; null when all went well.</summary>
    public ApiProblem? Problem => refused ?? refreshFailed;

    /// <summary>Shows the page of <paramref name="query"/> past <paramref name="cursor"/>, or says why it could not.</summary>
    public async Task ShowAsync(string query, long cursor)
    {
        var refresh = Page is not null && query == Query && cursor == Cursor;
        var result = await read(query, cursor);
        if (result.Value is { } page)
        {
            (Page, Query, Cursor, refreshFailed) = (page, query, cursor, null);
            if (!refresh)
            {
                refused = null;
            }
        }
        else if (refresh)
        {
            refreshFailed = result.Problem;
        }
        else
        {
            refused = result.Problem;
        }
    }

    /// <summary>The next or previous page of what is shown.</summary>
    public Task TurnToAsync(long cursor) => ShowAsync(Query, cursor);

    /// <summary>The page shown, read again.</summary>
    public Task RefreshAsync() => ShowAsync(Query, Cursor);
}
