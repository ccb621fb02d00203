namespace Challenge.AppHost.MySql;

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
