using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Challenge.StackHarness.Lambda;

/// <summary>
/// A stand-in for the AWS Parameters and Secrets Lambda Extension's local endpoint: <c>GET /secretsmanager/get?secretId=</c>,
/// answered only with the invocation environment's session token in <c>X-Aws-Parameters-Secrets-Token</c>, in
/// Secrets Manager's <c>GetSecretValue</c> shape. It counts the reads.
/// </summary>
public sealed class SecretsExtensionEmulator : IAsyncDisposable
{
    private static readonly string[] currentStage = ["AWSCURRENT"];

    private readonly WebApplication app;
    private int reads;

    private SecretsExtensionEmulator(WebApplication app) => this.app = app;

    /// <summary>The session token the function must present (its <c>AWS_SESSION_TOKEN</c>).</summary>
    public string SessionToken { get; } = Guid.NewGuid().ToString("N");

    /// <summary>The port, the value of <c>PARAMETERS_SECRETS_EXTENSION_HTTP_PORT</c>.</summary>
    public int Port { get; private set; }

    public int Reads => Volatile.Read(ref reads);

    public static async Task<SecretsExtensionEmulator> StartAsync(IReadOnlyDictionary<string, string> secrets)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new SecretsExtensionEmulator(app);
        app.MapGet("/secretsmanager/get", (HttpRequest request, string? secretId) =>
        {
            Interlocked.Increment(ref emulator.reads);
            if (request.Headers["X-Aws-Parameters-Secrets-Token"] != emulator.SessionToken)
            {
                return Results.Text("missing or invalid X-Aws-Parameters-Secrets-Token", statusCode: StatusCodes.Status401Unauthorized);
            }
            return secretId is not null && secrets.TryGetValue(secretId, out var value)
                ? Results.Json(new Dictionary<string, object>
                {
                    ["ARN"] = $"arn:aws:secretsmanager:us-east-1:123456789012:secret:{secretId}-AbCdEf",
                    ["Name"] = secretId,
                    ["SecretString"] = value,
                    ["VersionId"] = "1",
                    ["VersionStages"] = currentStage,
                })
                : Results.Text("ResourceNotFoundException", statusCode: StatusCodes.Status400BadRequest);
        });
        await app.StartAsync();
        emulator.Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Port;
        return emulator;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
