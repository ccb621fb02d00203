using MySqlConnector;

namespace Challenge.AppHost.MySql;

/// <summary>One database of a server: its connection string is the server's with <c>Database=</c> added.</summary>
public sealed class MySqlDatabaseResource(string name, string databaseName, IMySqlServerResource parent)
    : Resource(name), IResourceWithParent<IMySqlServerResource>, IResourceWithConnectionString
{
    public IMySqlServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};{new MySqlConnectionStringBuilder { Database = DatabaseName }.ConnectionString}");
}
