using Challenge.CustomersApi.Customers;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddCustomersApi();

var app = builder.Build();

app.UseServiceDefaults();
app.MapCustomersApi();
app.MapDefaultEndpoints();

app.Run();
