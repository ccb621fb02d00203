using Challenge.OrdersApi;
using Challenge.OrdersApi.Orchestrations;
using Challenge.OrdersApi.Orders;
using Challenge.OrdersApi.Products;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrdersApi();

var app = builder.Build();

app.UseServiceDefaults();
app.MapProductsApi();
app.MapOrdersApi();
app.MapOrchestrationsApi();
app.MapDefaultEndpoints();

app.Run();
