using Challenge.Identity;
using Challenge.OperatorConsole.Access;
using Challenge.OperatorConsole.Apis;
using Challenge.OperatorConsole.Components;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.FluentUI.AspNetCore.Components;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Run from a build (the AppHost, in any environment), the framework's and Fluent UI's files are found through the build's
// manifest, as Development does by itself; a published console has them in wwwroot and no manifest, so this does nothing.
builder.WebHost.UseStaticWebAssets();
builder.Services.AddRazorComponents().AddInteractiveServerComponents();
builder.Services.AddFluentUIComponents();
builder.AddConsoleAccess();
// The console signs its calls as its own signer (operator-console): Auth:Issuer, and its key in Auth:SigningKey.
builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section)
    .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer), "Auth:Issuer is missing.");
builder.AddServiceTokens();
ConsoleApi.AddConsoleApis(builder.Services);
// Sessions and circuits outlive a restart and reach any instance when the keys that protect them are kept in one
// folder (the AppHost's, a deployment's volume).
if (builder.Configuration["DataProtection:KeysFolder"] is { Length: > 0 } keys)
{
    builder.Services.AddDataProtection().SetApplicationName(ServiceNames.OperatorConsole).PersistKeysToFileSystem(new DirectoryInfo(keys));
}

var app = builder.Build();

app.UseServiceDefaults();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseHsts();
}
app.MapStaticAssets();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();
app.MapConsoleAccess();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .RequireAuthorization(ConsolePolicies.Operator);
app.MapDefaultEndpoints();

app.Run();
