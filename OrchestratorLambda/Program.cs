using Challenge.ApiConventions;
using Challenge.OrchestratorLambda.Lambda;
using Challenge.OrchestratorLambda.Orchestration;

var builder = WebApplication.CreateSlimBuilder(args);

builder.AddServiceDefaults();
builder.AddApiConventions();
// Here, not in the conventions: the XML comments of this assembly's handlers become the operations' descriptions.
builder.Services.AddOpenApi();
builder.AddOrchestrator();
builder.UseLambdaRuntimeWhenDeployed();

var app = builder.Build();

app.UseServiceDefaults();
app.UseApiConventions();
app.MapOrchestratorApi();
app.MapDefaultEndpoints();
app.MapApiDocument();

await app.RunReportingInitErrorsAsync();
