using Challenge.DevHost;

namespace Challenge.IntegrationTests.Infrastructure;

/// <summary>The stack run by the DevHost library: a private database server and the services as child processes.</summary>
public sealed class DevHostStack(DevStack stack, string dataDirectory) : IRunningStack
{
    public static async Task<DevHostStack> StartAsync(string environment, IReadOnlyDictionary<string, string> configuration)
    {
        // Its own database folder and free ports: the tests run beside a developer's ./run.sh.
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"challenge-tests-{Guid.NewGuid():N}");
        var logFolder = Path.Combine(DevStack.FindRepositoryRoot(), "artifacts", "test-logs");
        Directory.CreateDirectory(logFolder);
        var log = new StreamWriter(Path.Combine(logFolder, "stack.log"), append: false) { AutoFlush = true };
        var stack = await DevStack.StartAsync(new DevStackOptions
        {
            DataDirectory = dataDirectory,
            Environment = environment,
            Configuration = configuration,
            Log = (resource, line) =>
            {
                lock (log)
                {
                    log.WriteLine($"[{resource}] {line}");
                }
            },
        });
        return new DevHostStack(stack, dataDirectory);
    }

    public bool ControlsProcesses => true;

    public string Environment => stack.Environment;

    public (string Id, string Secret) SigningKey => (stack.Secrets.SigningKey.Id, stack.Secrets.SigningKey.Secret);

    public Uri BaseAddress(string resource) => stack.BaseAddress(resource);

    public IReadOnlyDictionary<string, string> EnvironmentOf(string resource) => stack.EnvironmentOf(resource);

    public string CreateToken(string role, string audience, TimeSpan? expiresIn = null, TimeSpan? notBefore = null, string? issuer = null) =>
        stack.CreateToken(role, audience, expiresIn, notBefore, issuer);

    public Task StopAsync(string resource) => stack.StopAsync(resource);

    public Task KillAsync(string resource) => stack.KillAsync(resource);

    public Task StartAsync(string resource) => stack.StartAsync(resource);

    public void Freeze(string resource) => stack.Freeze(resource);

    public void Thaw(string resource) => stack.Thaw(resource);

    public Task<Uri> StartInstanceAsync(string resource, string instanceName, string? environment, IReadOnlyDictionary<string, string> configuration) =>
        stack.StartInstanceAsync(resource, instanceName, environment, configuration);

    public async ValueTask DisposeAsync()
    {
        await stack.DisposeAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
