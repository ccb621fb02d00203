using System.Text.Json;
using Challenge.Identity;

namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>
/// The function's own private key, read at start from AWS Secrets Manager through the AWS Parameters and Secrets
/// Lambda Extension (a layer that serves secrets on a local HTTP endpoint, authenticated by the invocation
/// environment's session token), so that the key is never a plain environment variable of the function: its
/// configuration names only the secret (<c>Lambda__SigningKeySecret</c>).
/// </summary>
internal static class SecretsExtension
{
    public const string SecretSetting = "Lambda:SigningKeySecret";

    private const string PortVariable = "PARAMETERS_SECRETS_EXTENSION_HTTP_PORT";
    private const string DefaultPort = "2773";
    private const string TokenHeader = "X-Aws-Parameters-Secrets-Token";

    /// <summary>When the configuration names the key's secret, the key is read from the extension as the options are first built (at start).</summary>
    public static WebApplicationBuilder ReadSigningKeyFromSecretsManager(this WebApplicationBuilder builder)
    {
        if (builder.Configuration[SecretSetting] is { Length: > 0 } secretId)
        {
            // Read once, however many times the options are built (IOptions and IOptionsMonitor each build their own).
            var key = new Lazy<string>(() => Read(secretId));
            builder.Services.AddOptions<AuthOptions>().Configure(auth => auth.SigningKey = new SigningKey { PrivateKey = key.Value });
        }
        return builder;
    }

    /// <summary>The secret's string, or an exception that says why not (Lambda then reports the start as failed).</summary>
    private static string Read(string secretId)
    {
        var port = Environment.GetEnvironmentVariable(PortVariable) is { Length: > 0 } set ? set : DefaultPort;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://localhost:{port}/secretsmanager/get?secretId={Uri.EscapeDataString(secretId)}");
        request.Headers.TryAddWithoutValidation(TokenHeader, Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN"));
        using var response = http.Send(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The secret '{secretId}' ({SecretSetting}) could not be read from the AWS Parameters and Secrets extension: it answered {(int)response.StatusCode}.");
        }
        using var document = JsonDocument.Parse(response.Content.ReadAsStream());
        return document.RootElement.TryGetProperty("SecretString", out var value) && value.GetString() is { Length: > 0 } secret
            ? secret
            : throw new InvalidOperationException($"The secret '{secretId}' ({SecretSetting}) has no SecretString.");
    }
}
