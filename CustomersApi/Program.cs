using Challenge.ApiConventions;
using Challenge.CustomersApi.Customers;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiConventions();
builder.AddCustomersApi();

var app = builder.Build();

app.UseServiceDefaults();
app.UseApiConventions();
app.MapCustomersApi();
app.MapDefaultEndpoints();
app.MapApiDocument();

app.Run();
