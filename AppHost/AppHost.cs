var builder = DistributedApplication.CreateBuilder(args);

// Secrets come from user secrets or the dashboard's prompt, never from this file:
//   dotnet user-secrets set Parameters:mysql-password <password>
//   ./run.sh secret   then   dotnet user-secrets set Parameters:token-signing-key-id <id>
//                            dotnet user-secrets set Parameters:token-signing-key <secret>
var mysqlPassword = builder.AddParameter("mysql-password", secret: true);
var signingKeyId = builder.AddParameter("token-signing-key-id");
var signingKey = builder.AddParameter("token-signing-key", secret: true);

// db-init creates the tables and the sample data the first time the volume is empty.
var mysql = builder.AddMySql("mysql", mysqlPassword)
    .WithDataVolume()
    .WithInitFiles("../db-init");
var customersDb = mysql.AddDatabase("customersdb");
var ordersDb = mysql.AddDatabase("ordersdb");

// Every service validates and mints tokens with the same key, and runs in the AppHost's environment
// (Development on F5: public endpoints then accept anonymous calls).
IResourceBuilder<ProjectResource> Service(IResourceBuilder<ProjectResource> project) => project
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithEnvironment("Auth__SigningKey__Id", signingKeyId)
    .WithEnvironment("Auth__SigningKey__Secret", signingKey)
    .WithHttpHealthCheck("/health");

var customersApi = Service(builder.AddProject<Projects.CustomersApi>("customers-api"))
    .WithReference(customersDb).WaitFor(customersDb);

var ordersApi = Service(builder.AddProject<Projects.OrdersApi>("orders-api"))
    .WithReference(ordersDb).WaitFor(ordersDb)
    .WithReference(customersApi).WaitFor(customersApi);

Service(builder.AddProject<Projects.OrchestratorLambda>("orchestrator"))
    .WithReference(customersApi).WaitFor(customersApi)
    .WithReference(ordersApi).WaitFor(ordersApi)
    .WithExternalHttpEndpoints();

builder.Build().Run();
