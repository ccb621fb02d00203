using Challenge.OrdersApi;
using Challenge.OrdersApi.Idempotency;
using Challenge.OrdersApi.Orders;
using Challenge.OrdersApi.Products;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddOrdersApi();

var app = builder.Build();

app.UseServiceDefaults();
app.MapProductsApi();
app.MapOrdersApi();
app.MapOrchestrationRecords();
app.MapDefaultEndpoints();

app.Run();
