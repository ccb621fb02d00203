using MySqlConnector;

namespace Challenge.AppHost.MySql;

/// <summary>
/// A MySQL-compatible server of the model, whichever way it runs: <see cref="MySqlServerResource"/> in a container,
/// <see cref="LocalMySqlServerResource"/> as a private local process. Shaped like Aspire.Hosting.MySql's
/// <c>MySqlServerResource</c> (root user, endpoint <c>tcp</c>, the same connection string); see
/// <see cref="MySqlBuilderExtensions"/> for what switching to that package takes.
/// </summary>
public interface IMySqlServerResource : IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithWaitSupport
{
    EndpointReference PrimaryEndpoint { get; }

    ParameterResource PasswordParameter { get; }

    /// <summary>The databases declared with <c>AddDatabase</c>, created when the server is ready.</summary>
    IList<MySqlDatabaseResource> DatabaseResources { get; }
}

/// <summary>The official <c>mysql</c> image, where a container runtime answers.</summary>
public sealed class MySqlServerResource(string name, ParameterResource password) : ContainerResource(name), IMySqlServerResource
{
    public EndpointReference PrimaryEndpoint => new(this, MySqlConventions.PrimaryEndpointName);

    public ParameterResource PasswordParameter { get; } = password;

    public IList<MySqlDatabaseResource> DatabaseResources { get; } = [];

    public ReferenceExpression ConnectionStringExpression => MySqlConventions.ServerExpression(this);
}

/// <summary>
/// A private <c>mariadbd</c>/<c>mysqld</c> from PATH, where no container runtime answers: its own data folder,
/// port and socket, started and stopped by Aspire like any executable.
/// </summary>
public sealed class LocalMySqlServerResource(string name, ParameterResource password, LocalMySqlServer server, string workingDirectory)
    : ExecutableResource(name, server.Binary.Path, workingDirectory), IMySqlServerResource
{
    public EndpointReference PrimaryEndpoint => new(this, MySqlConventions.PrimaryEndpointName);

    public ParameterResource PasswordParameter { get; } = password;

    public IList<MySqlDatabaseResource> DatabaseResources { get; } = [];

    public ReferenceExpression ConnectionStringExpression => MySqlConventions.ServerExpression(this);

    /// <summary>The files of the server: binary, data folder, socket, init scripts.</summary>
    public LocalMySqlServer Server { get; } = server;
}

/// <summary>One database of a server: its connection string is the server's with <c>Database=</c> added.</summary>
public sealed class MySqlDatabaseResource(string name, string databaseName, IMySqlServerResource parent)
    : Resource(name), IResourceWithParent<IMySqlServerResource>, IResourceWithConnectionString
{
    public IMySqlServerResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};{new MySqlConnectionStringBuilder { Database = DatabaseName }.ConnectionString}");
}

internal static class MySqlConventions
{
    public const string PrimaryEndpointName = "tcp";
    public const string UserName = "root";

    /// <summary>The server's connection string, exactly as Aspire.Hosting.MySql writes it.</summary>
    public static ReferenceExpression ServerExpression(IMySqlServerResource server) => ReferenceExpression.Create(
        $"Server={server.PrimaryEndpoint.Property(EndpointProperty.Host)};Port={server.PrimaryEndpoint.Property(EndpointProperty.Port)};User ID={UserName};Password={server.PasswordParameter}");
}
