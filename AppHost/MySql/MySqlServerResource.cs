namespace Challenge.AppHost.MySql;

/// <summary>The official <c>mysql</c> image, where a container runtime answers.</summary>
public sealed class MySqlServerResource(string name, ParameterResource password) : ContainerResource(name), IMySqlServerResource
{
    public EndpointReference PrimaryEndpoint => new(this, MySqlConventions.PrimaryEndpointName);

    public ParameterResource PasswordParameter { get; } = password;

    public IList<MySqlDatabaseResource> DatabaseResources { get; } = [];

    public ReferenceExpression ConnectionStringExpression => MySqlConventions.ServerExpression(this);
}
