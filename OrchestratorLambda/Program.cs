using Challenge.ApiConventions;
using Challenge.OrchestratorLambda.Lambda;
using Challenge.OrchestratorLambda.Orchestration;

var builder = WebApplication.CreateSlimBuilder(args);

builder.AddServiceDefaults();
builder.AddApiConventions();
builder.AddOrchestrator();
builder.UseLambdaRuntimeWhenDeployed();

var app = builder.Build();

app.UseServiceDefaults();
app.UseApiConventions();
app.MapOrchestratorApi();
app.MapDefaultEndpoints();
app.MapApiDocument();

await app.RunReportingInitErrorsAsync();
