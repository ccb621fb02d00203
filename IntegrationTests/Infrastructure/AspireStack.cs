#if USE_ASPIRE
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Challenge.DevHost;
using Challenge.ServiceDefaults.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Challenge.IntegrationTests.Infrastructure;

/// <summary>
/// The stack as the AppHost declares it, run by Aspire's testing builder: MySQL in a container, the services as
/// projects, wired by Aspire. Built only with -p:UseAspire=true, on a machine with Aspire and a container runtime.
/// </summary>
public sealed class AspireStack : IRunningStack
{
    private static readonly TimeSpan startTimeout = TimeSpan.FromMinutes(5);

    private readonly DistributedApplication app;
    private readonly SigningKey key;
    private readonly Dictionary<string, IReadOnlyDictionary<string, string>> environments;

    private AspireStack(DistributedApplication app, SigningKey key, string environment,
        Dictionary<string, IReadOnlyDictionary<string, string>> environments)
    {
        this.app = app;
        this.key = key;
        this.environments = environments;
        Environment = environment;
    }

    public static async Task<IRunningStack> StartAsync(string environment)
    {
        var key = SigningKey.Generate();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            $"--environment={environment}",
            $"Parameters:mysql-password={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}",
            $"Parameters:token-signing-key-id={key.Id}",
            $"Parameters:token-signing-key={key.Secret}",
        ]);
        var app = await builder.BuildAsync();
        using var timeout = new CancellationTokenSource(startTimeout);
        await app.StartAsync(timeout.Token);
        foreach (var service in StackResources.Services)
        {
            await app.Services.GetRequiredService<ResourceNotificationService>().WaitForResourceHealthyAsync(service.Name, timeout.Token);
        }

        // What each service was given, so that a test can run the same service another way (the Lambda bootstrap).
        var environments = new Dictionary<string, IReadOnlyDictionary<string, string>>();
        foreach (var service in StackResources.Services)
        {
            var variables = new Dictionary<string, string>
            {
                ["ASPNETCORE_ENVIRONMENT"] = environment,
                ["Auth__Issuer"] = DevSecrets.DefaultIssuer,
                ["Auth__SigningKey__Id"] = key.Id,
                ["Auth__SigningKey__Secret"] = key.Secret,
            };
            foreach (var database in service.Databases)
            {
                variables[$"ConnectionStrings__{database}"] = (await app.GetConnectionStringAsync(database, timeout.Token))!;
            }
            foreach (var reference in service.References)
            {
                variables[$"services__{reference}__http__0"] = app.GetEndpoint(reference, "http").ToString().TrimEnd('/');
            }
            environments[service.Name] = variables;
        }
        return new AspireStack(app, key, environment, environments);
    }

    public bool ControlsProcesses => false;

    public string Environment { get; }

    public (string Id, string Secret) SigningKey => (key.Id, key.Secret);

    public Uri BaseAddress(string resource) => app.GetEndpoint(resource, "http");

    public IReadOnlyDictionary<string, string> EnvironmentOf(string resource) => environments[resource];

    public string CreateToken(string role, string audience, TimeSpan? expiresIn = null, TimeSpan? notBefore = null, string? issuer = null) =>
        TokenCommand.Create(new DevSecrets(DevSecrets.DefaultIssuer, "", key), role, audience,
            expiresIn ?? TimeSpan.FromHours(1), notBefore ?? TimeSpan.Zero, issuer);

    public Task StopAsync(string resource) => RunAsync(resource, KnownResourceCommands.StopCommand);

    /// <summary>Aspire has no SIGKILL: its stop is the nearest thing.</summary>
    public Task KillAsync(string resource) => StopAsync(resource);

    public async Task StartAsync(string resource)
    {
        await RunAsync(resource, KnownResourceCommands.StartCommand);
        using var timeout = new CancellationTokenSource(startTimeout);
        await app.Services.GetRequiredService<ResourceNotificationService>().WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    public void Freeze(string resource) => throw new NotSupportedException("Aspire cannot freeze a resource.");

    public void Thaw(string resource) => throw new NotSupportedException("Aspire cannot freeze a resource.");

    public Task<Uri> StartInstanceAsync(string resource, string instanceName, string? environment, IReadOnlyDictionary<string, string> configuration) =>
        throw new NotSupportedException("Aspire runs the instances the AppHost declares.");

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task RunAsync(string resource, string command)
    {
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resource, command);
        if (!result.Success)
        {
            throw new InvalidOperationException($"{command} on {resource} failed: {result.ErrorMessage}");
        }
    }
}
#endif
