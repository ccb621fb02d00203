using Challenge.ApiConventions;
using Challenge.CustomersApi.Customers;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiConventions();
// Here, not in the conventions: the XML comments of this assembly's handlers become the operations' descriptions.
builder.Services.AddOpenApi();
builder.AddCustomersApi();

var app = builder.Build();

app.UseServiceDefaults();
app.UseApiConventions();
app.MapCustomersApi();
app.MapDefaultEndpoints();
app.MapApiDocument();

app.Run();
