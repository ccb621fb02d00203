using Challenge.OrchestratorLambda.Lambda;
using Challenge.OrchestratorLambda.Orchestration;

var builder = WebApplication.CreateSlimBuilder(args);

builder.AddServiceDefaults();
builder.AddOrchestrator();
builder.UseLambdaRuntimeWhenDeployed();

var app = builder.Build();

app.UseServiceDefaults();
app.MapOrchestratorApi();
app.MapDefaultEndpoints();

await app.RunReportingInitErrorsAsync();
