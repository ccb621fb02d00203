using MySqlConnector;

namespace Challenge.Data;

/// <summary>Statements sent together: a batch runs every statement in one round trip.</summary>
public static class Batches
{
    /// <summary>Adds one statement, with its parameters, to <paramref name="batch"/>.</summary>
    public static MySqlBatch Add(this MySqlBatch batch, string sql, params (string Name, object? Value)[] parameters)
    {
        batch.BatchCommands.Add(Command(sql, parameters));
        return batch;
    }

    /// <summary>Adds statements built apart (<see cref="Command"/>) to <paramref name="batch"/>.</summary>
    public static MySqlBatch Add(this MySqlBatch batch, IEnumerable<MySqlBatchCommand> commands)
    {
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }
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
