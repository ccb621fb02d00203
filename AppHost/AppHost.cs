using Challenge.AppHost;
using Challenge.AppHost.MySql;
using Challenge.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

var builder = DistributedApplication.CreateBuilder(args);
// Generated secrets (the database's password, the signers' keys) are kept in the AppHost's user secrets by Aspire,
// which reads them back in Development; in any other environment too, with the same low precedence (environment and
// command line win), so that `./run.sh --environment Production` signs with the same keys as a Development run.
if (!builder.Environment.IsDevelopment())
{
    builder.Configuration.Sources.Insert(0, new ConfigurationBuilder().AddUserSecrets(typeof(SigningKeyDefault).Assembly, optional: true).Sources[0]);
}

// MySQL in a container where a runtime answers, else a private local server. An existing server instead: set
// ConnectionStrings:customersdb and ConnectionStrings:ordersdb.
IResourceBuilder<IResourceWithConnectionString> customersDb, ordersDb;
if (builder.Configuration["ConnectionStrings:customersdb"] is null)
{
    var mysql = builder.AddMySql("mysql", port: 3307)
        .WithDataVolume(MySqlDataVolume);
    customersDb = mysql.AddDatabase("customersdb");
    ordersDb = mysql.AddDatabase("ordersdb");
}
else
{
    customersDb = builder.AddConnectionString("customersdb");
    ordersDb = builder.AddConnectionString("ordersdb");
}

// The migrator brings both databases to their latest version (the sample data included) and exits; the services
// start once it has, on the schema they were built for.
var dbInit = builder.AddProject<Projects.DbInit>("db-init")
    .WithReference(customersDb).WaitFor(customersDb)
    .WithReference(ordersDb).WaitFor(ordersDb);

// Each signer's private key is a secret parameter: set the usual way (user secrets, environment, command line), or
// generated at the first run and kept. A service that calls others gets its own key and no other; every service
// gets the public half of each, bound to the one signer it speaks for; the operator's key goes to no service.
var signingKeys = LocalStack.Signers.ToDictionary(signer => signer,
    signer => builder.AddParameter(LocalStack.SigningKeyParameter(signer), new SigningKeyDefault(), secret: true, persist: true));

// The webhook secrets are stored encrypted; the certificate that encrypts their key ring is given to the two services
// that read them, the Orders API and the dispatcher.
var keyRingCertificate = builder.AddParameter(LocalStack.KeyRingCertificateParameter, new KeyRingCertificateDefault(), secret: true, persist: true);

// Every service runs in the AppHost's environment (Development under ./run.sh and F5: public endpoints then accept
// anonymous calls), on its launch profile's port (3000-3003). One instance of each is reached directly, not through a
// DCP proxy (one hop less per call); with Replicas (./run.sh --replicas N), N instances of each run behind DCP's proxy
// on that same port, which spreads the calls among them.
var replicas = builder.Configuration.GetValue("Replicas", 1);
if (replicas is < 1 or > 8)
{
    throw new InvalidOperationException($"Replicas is {replicas}; run 1 to 8 instances of each service.");
}
IResourceBuilder<ProjectResource> Instances(IResourceBuilder<ProjectResource> project) =>
    (replicas == 1 ? project.WithEndpoint("http", endpoint => endpoint.IsProxied = false) : project.WithReplicas(replicas))
        .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
        .WithHttpHealthCheck("/health");

// A service of the stack: its instances, and the public key of each signer.
IResourceBuilder<ProjectResource> Service(IResourceBuilder<ProjectResource> project)
{
    Instances(project);
    foreach (var (signer, index) in LocalStack.Signers.Select((signer, index) => (signer, index)))
    {
        project.WithEnvironment(async context =>
        {
            var trusted = new SigningKey { PrivateKey = (await signingKeys[signer].Resource.GetValueAsync(context.CancellationToken))! }.Trusted(signer);
            context.EnvironmentVariables[$"Auth__TrustedKeys__{index}__PublicKey"] = trusted.PublicKey;
            context.EnvironmentVariables[$"Auth__TrustedKeys__{index}__Signer"] = trusted.Signer;
        });
    }
    return project;
}

IResourceBuilder<ProjectResource> SigningItsOwnTokens(IResourceBuilder<ProjectResource> project) =>
    project.WithEnvironment("Auth__SigningKey__PrivateKey", signingKeys[project.Resource.Name]);

var customersApi = Service(builder.AddProject<Projects.CustomersApi>(ServiceNames.CustomersApi))
    .WithReference(customersDb).WaitForCompletion(dbInit);

var ordersApi = SigningItsOwnTokens(Service(builder.AddProject<Projects.OrdersApi>(ServiceNames.OrdersApi)))
    .WithReference(ordersDb).WaitForCompletion(dbInit)
    .WithReference(customersApi)
    .WithEnvironment("Webhooks__KeyRingCertificate", keyRingCertificate);

SigningItsOwnTokens(Service(builder.AddProject<Projects.OrchestratorLambda>(ServiceNames.Orchestrator)))
    .WithReference(customersApi)
    .WithReference(ordersApi)
    .WithExternalHttpEndpoints();

// The order events' dispatcher: reads the outbox of ordersdb and delivers the webhooks.
Service(builder.AddProject<Projects.OrderEvents>(ServiceNames.OrderEvents))
    .WithReference(ordersDb).WaitForCompletion(dbInit)
    .WithEnvironment("Webhooks__KeyRingCertificate", keyRingCertificate);

// The operator console, a client of the two APIs that signs its calls as the person using it. In Development it acts as
// the local operator; elsewhere people sign in with OpenID Connect (OpenIdConnect:Authority, :ClientId, :ClientSecret
// in the AppHost's configuration reach it as they are). Its instances share their data protection keys (sessions, the
// pages' circuits) through a folder the AppHost keeps beside the database's files, so that any instance serves any
// person, and a restart keeps people signed in.
var consoleKeys = Path.Combine(builder.AppHostDirectory, ".data", "operator-console-keys");
SigningItsOwnTokens(Instances(builder.AddProject<Projects.OperatorConsole>(ServiceNames.OperatorConsole)))
    .WithReference(customersApi).WaitFor(customersApi)
    .WithReference(ordersApi).WaitFor(ordersApi)
    .WithEnvironment("DataProtection__KeysFolder", consoleKeys)
    .WithEnvironment(context =>
    {
        foreach (var setting in builder.Configuration.GetSection("OpenIdConnect").AsEnumerable(makePathsRelative: true).Where(s => s.Value is not null))
        {
            context.EnvironmentVariables[$"OpenIdConnect__{setting.Key.Replace(":", "__", StringComparison.Ordinal)}"] = setting.Value!;
        }
    })
    .WithExternalHttpEndpoints();

builder.Build().Run();

internal static partial class Program
{
    /// <summary>The database's files: a folder under AppHost/.data for the local server, a named volume for the container (./run.sh --fresh removes either).</summary>
    public const string MySqlDataVolume = "challenge-mysql-data";
}
