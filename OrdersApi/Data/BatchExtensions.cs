using MySqlConnector;

namespace Challenge.OrdersApi.Data;

public static class BatchExtensions
{
    /// <summary>Adds one statement to a batch: the batch runs every statement in a single round trip.</summary>
    public static MySqlBatch Add(this MySqlBatch batch, string sql, params (string Name, object? Value)[] parameters)
    {
        batch.BatchCommands.Add(Command(sql, parameters));
        return batch;
    }

    public static MySqlBatchCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new MySqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
