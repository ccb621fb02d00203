using System.Security.Cryptography;
using System.Text.Json;
using Challenge.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;

namespace Challenge.AppHost;

/// <summary>
/// The values of the AppHost's secret parameters for a local run. A value set the usual way (user secrets,
/// environment, command line: <c>Parameters:mysql-password</c>, ...) wins; any other is generated at the first run
/// into <c>AppHost/.data/secrets.json</c> (git-ignored, readable by its owner only) and kept, so that tokens and the
/// database's password survive restarts. Nothing secret is ever committed.
/// </summary>
public static class LocalSecrets
{
    public const string MySqlPassword = "mysql-password";
    public const string SigningKeyId = "token-signing-key-id";
    public const string SigningKey = "token-signing-key";
    public const string Issuer = "challenge";

    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    public static void Provide(IConfigurationManager configuration, string appHostDirectory)
    {
        var missing = new[] { MySqlPassword, SigningKeyId, SigningKey }.Where(name => string.IsNullOrEmpty(configuration[Key(name)])).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var stored = LoadOrCreate(Path.Combine(appHostDirectory, ".data", "secrets.json"));
        configuration.AddInMemoryCollection(missing.Select(name => KeyValuePair.Create(Key(name), (string?)stored[name])));
    }

    /// <summary>The signing key the services of this AppHost use, as its configuration gives it.</summary>
    public static SigningKey SigningKeyOf(IConfiguration configuration) => new()
    {
        Id = configuration[Key(SigningKeyId)] ?? throw new InvalidOperationException($"{Key(SigningKeyId)} is missing."),
        Secret = configuration[Key(SigningKey)] ?? throw new InvalidOperationException($"{Key(SigningKey)} is missing."),
    };

    private static string Key(string parameter) => $"Parameters:{parameter}";

    private static Dictionary<string, string> LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path} is empty; delete it to generate new secrets.");
        }
        var key = ServiceDefaults.Auth.SigningKey.Generate();
        var secrets = new Dictionary<string, string>
        {
            [MySqlPassword] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            [SigningKeyId] = key.Id,
            [SigningKey] = key.Secret,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(secrets, json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return secrets;
    }
}
