using System.Security.Cryptography;
using System.Text.Json;
using Challenge.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;

namespace Challenge.AppHost;

/// <summary>
/// The values of the AppHost's secret parameters for a local run. A value set the usual way (user secrets,
/// environment, command line: <c>Parameters:mysql-password</c>, <c>Parameters:orders-api-signing-key</c>, ...) wins;
/// any other is generated at the first run into <c>AppHost/.data/secrets.json</c> (git-ignored, readable by its owner
/// only) and kept, so that tokens and the database's password survive restarts. Nothing secret is ever committed.
/// </summary>
public static class LocalSecrets
{
    public const string MySqlPassword = "mysql-password";
    public const string Issuer = "challenge";

    /// <summary>Who holds a private key: the operator (people's tokens, given to no service) and each service that calls others.</summary>
    public static readonly string[] KeyHolders = [Signers.Operator, ServiceNames.OrdersApi, ServiceNames.Orchestrator];

    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    /// <summary>The parameter that holds a key holder's private key (base64 PKCS#8 of a P-256 key).</summary>
    public static string SigningKeyParameter(string holder) => $"{holder}-signing-key";

    public static void Provide(IConfigurationManager configuration, string appHostDirectory)
    {
        var missing = KeyHolders.Select(SigningKeyParameter).Prepend(MySqlPassword)
            .Where(name => string.IsNullOrEmpty(configuration[Key(name)])).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var stored = LoadOrCreate(Path.Combine(appHostDirectory, ".data", "secrets.json"));
        configuration.AddInMemoryCollection(missing.Select(name => KeyValuePair.Create(Key(name), (string?)stored[name])));
    }

    /// <summary>A key holder's private key, as this AppHost's configuration gives it.</summary>
    public static SigningKey SigningKeyOf(IConfiguration configuration, string holder) => new()
    {
        PrivateKey = configuration[Key(SigningKeyParameter(holder))]
            ?? throw new InvalidOperationException($"{Key(SigningKeyParameter(holder))} is missing."),
    };

    private static string Key(string parameter) => $"Parameters:{parameter}";

    /// <summary>The stored secrets, with any that are missing (a first run, or a file from an older version) generated and saved.</summary>
    private static Dictionary<string, string> LoadOrCreate(string path)
    {
        var stored = File.Exists(path)
            ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path} is empty; delete it to generate new secrets.")
            : [];
        var secrets = new Dictionary<string, string>
        {
            [MySqlPassword] = stored.GetValueOrDefault(MySqlPassword) ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        foreach (var holder in KeyHolders)
        {
            var name = SigningKeyParameter(holder);
            secrets[name] = stored.GetValueOrDefault(name) ?? ServiceDefaults.Auth.SigningKey.Generate().PrivateKey;
        }
        if (secrets.Count != stored.Count || secrets.Any(s => stored.GetValueOrDefault(s.Key) != s.Value))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // Readable by its owner only from the moment it exists (a rewrite keeps an existing file's mode).
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }
            using var file = new FileStream(path, options);
            JsonSerializer.Serialize(file, secrets, json);
        }
        return secrets;
    }
}
