using Dapper;

namespace Challenge.Data;

/// <summary>Purges in small batches: no statement holds its locks for long, and instances that purge at once only share the work.</summary>
public static class BatchedDeletes
{
    /// <summary>
    /// Runs <paramref name="delete"/> (which ends <c>LIMIT @batch</c>) until it deletes fewer than
    /// <paramref name="batchSize"/> rows: how many it deleted in all.
    /// </summary>
    public static async Task<int> DeleteInBatchesAsync(this Database db, string delete, object parameters, int batchSize, CancellationToken cancellationToken)
    {
        var arguments = new DynamicParameters(parameters);
        arguments.Add("batch", batchSize);
        var total = 0;
        int deleted;
        do
        {
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            deleted = await connection.ExecuteAsync(new CommandDefinition(delete, arguments, cancellationToken: cancellationToken));
            total += deleted;
        }
        while (deleted == batchSize);
        return total;
    }
}
