using Challenge.AppHost;
using Challenge.AppHost.MySql;
using Challenge.ServiceDefaults.Auth;

var builder = DistributedApplication.CreateBuilder(args);

// Secrets are parameters: set with user secrets or the environment, else generated at the first run into the
// git-ignored AppHost/.data/secrets.json. The operator's key among them signs the tokens of `./run.sh token`.
LocalSecrets.Provide(builder.Configuration, builder.AppHostDirectory);
if (args is ["token" or "secret", ..])
{
    return TokenCommand.Run(args, builder.Configuration);
}
var mysqlPassword = builder.AddParameter(LocalSecrets.MySqlPassword, secret: true);

// MySQL in a container where a runtime answers, else a private local server; db-init creates the tables and the
// sample data. An existing server instead: set ConnectionStrings:customersdb and ConnectionStrings:ordersdb.
IResourceBuilder<IResourceWithConnectionString> customersDb, ordersDb;
if (builder.Configuration["ConnectionStrings:customersdb"] is null)
{
    var mysql = builder.AddMySql("mysql", mysqlPassword, port: 3307)
        .WithDataVolume()
        .WithInitFiles("../db-init");
    customersDb = mysql.AddDatabase("customersdb");
    ordersDb = mysql.AddDatabase("ordersdb");
}
else
{
    customersDb = builder.AddConnectionString("customersdb");
    ordersDb = builder.AddConnectionString("ordersdb");
}

// Every service runs in the AppHost's environment (Development under ./run.sh and F5: public endpoints then accept
// anonymous calls). Its port is its launch profile's (3000-3002); calls reach the process itself, not a DCP proxy in
// front of it (one hop less per call: see Bench in the README). It knows every signer of the deployment by its public
// key only (the operator's for people's tokens, each calling service's for its own); each route says whom it serves.
var trustedKeys = LocalSecrets.KeyHolders.Select(holder => LocalSecrets.SigningKeyOf(builder.Configuration, holder).Trusted(holder)).ToList();
IResourceBuilder<ProjectResource> Service(IResourceBuilder<ProjectResource> project)
{
    project.WithEndpoint("http", endpoint => endpoint.IsProxied = false)
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
        .WithHttpHealthCheck("/health");
    foreach (var (trusted, index) in trustedKeys.Select((trusted, index) => (trusted, index)))
    {
        project.WithEnvironment($"Auth__TrustedKeys__{index}__PublicKey", trusted.PublicKey)
            .WithEnvironment($"Auth__TrustedKeys__{index}__Signer", trusted.Signer);
    }
    return project;
}

// A service that calls others signs its tokens with its own private key, which no other resource is given.
IResourceBuilder<ProjectResource> SigningItsOwnTokens(IResourceBuilder<ProjectResource> project) => project
    .WithEnvironment("Auth__SigningKey__PrivateKey", builder.AddParameter(LocalSecrets.SigningKeyParameter(project.Resource.Name), secret: true));

var customersApi = Service(builder.AddProject<Projects.CustomersApi>(ServiceNames.CustomersApi))
    .WithReference(customersDb).WaitFor(customersDb);

var ordersApi = SigningItsOwnTokens(Service(builder.AddProject<Projects.OrdersApi>(ServiceNames.OrdersApi)))
    .WithReference(ordersDb).WaitFor(ordersDb)
    .WithReference(customersApi);

SigningItsOwnTokens(Service(builder.AddProject<Projects.OrchestratorLambda>(ServiceNames.Orchestrator)))
    .WithReference(customersApi)
    .WithReference(ordersApi)
    .WithExternalHttpEndpoints();

builder.Build().Run();
return 0;
