using MySqlConnector;

namespace Challenge.Data;

/// <summary>
/// The one shape of a change to a row that may be refused: a statement guarded in its own <c>WHERE</c> (judged under the
/// row's lock, so that of two concurrent changes one matches, and a condition such as <c>If-Match</c> is never judged
/// on a stale read), whether it matched, and the row read back, in the round trip of the batch it ends.
/// </summary>
public static class GuardedChange
{
    /// <summary>
    /// Runs <paramref name="batch"/>, whose last statement is the guarded change, then <paramref name="readBack"/> with
    /// it, and reads the row with <paramref name="readRow"/> from the read-back's first result set.
    /// </summary>
    public static async Task<Changed<T>> RunAsync<T>(MySqlBatch batch, IEnumerable<MySqlBatchCommand> readBack,
        Func<MySqlDataReader, CancellationToken, Task<T?>> readRow, CancellationToken cancellationToken)
    {
        await using var reader = await batch.Add("SELECT ROW_COUNT()").Add(readBack).ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var made = reader.GetInt64(0) == 1;
        await reader.NextResultAsync(cancellationToken);
        return new(made, await readRow(reader, cancellationToken));
    }

    /// <summary>One row of the reader's current result set, mapped by name as the stores' queries alias their columns; null when there is none.</summary>
    public static Task<T?> SingleRowAsync<T>(MySqlDataReader reader, CancellationToken cancellationToken) =>
        Task.FromResult(Dapper.SqlMapper.Parse<T>(reader).SingleOrDefault());
}
