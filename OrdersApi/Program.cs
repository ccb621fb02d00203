using Challenge.OrdersApi;
using Challenge.OrdersApi.Orchestrations;
using Challenge.OrdersApi.Overview;
using Challenge.OrdersApi.Products;
using Challenge.OrdersApi.Webhooks;
using Challenge.OrdersApi.Events;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiConventions();
// Here, not in the conventions: the XML comments of this assembly's handlers become the operations' descriptions.
builder.Services.AddOpenApi();
builder.AddOrdersApi();

var app = builder.Build();

app.UseServiceDefaults();
app.UseApiConventions();
app.MapProductsApi();
app.MapOrdersApi();
app.MapOrchestrationsApi();
app.MapWebhooksApi();
app.MapEventsApi();
app.MapOverviewApi();
app.MapDefaultEndpoints();
app.MapApiDocument();

app.Run();
