using Dapper;
using MySqlConnector;

namespace Challenge.Data;

/// <summary>The one shape of an insert that a unique key may refuse.</summary>
public static class Inserts
{
    /// <summary>
    /// Runs <paramref name="insert"/> and answers the id it made, or null when a unique key already holds one of its
    /// values: a conflict the caller names (an e-mail, a sku, a URL taken).
    /// </summary>
    public static async Task<long?> InsertOrConflictAsync(this MySqlConnection connection, string insert, object parameters,
        CancellationToken cancellationToken, MySqlTransaction? transaction = null)
    {
        try
        {
            return await connection.ExecuteScalarAsync<long>(new CommandDefinition($"{insert};\nSELECT LAST_INSERT_ID();", parameters, transaction,
                cancellationToken: cancellationToken));
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return null;
        }
    }
}
