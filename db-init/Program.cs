using Challenge.DbInit;

// Brings every database the configuration names (ConnectionStrings:customersdb, ConnectionStrings:ordersdb) to its
// latest version, then exits: 0 when each is, 1 when one could not be (the reason is logged).
var builder = Host.CreateApplicationBuilder(args);
builder.ConfigureOpenTelemetry();
using var host = builder.Build();
return Migrator.Run(host.Services.GetRequiredService<IConfiguration>(), host.Services.GetRequiredService<ILogger<Migrator>>());
