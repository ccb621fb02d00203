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

internal static class MySqlConventions
{
    public const string PrimaryEndpointName = "tcp";
    public const string UserName = "root";

    /// <summary>The server's connection string, exactly as Aspire.Hosting.MySql writes it.</summary>
    public static ReferenceExpression ServerExpression(IMySqlServerResource server) => ReferenceExpression.Create(
        $"Server={server.PrimaryEndpoint.Property(EndpointProperty.Host)};Port={server.PrimaryEndpoint.Property(EndpointProperty.Port)};User ID={UserName};Password={server.PasswordParameter}");
}
