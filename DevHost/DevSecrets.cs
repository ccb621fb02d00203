using System.Security.Cryptography;
using System.Text.Json;
using Challenge.ServiceDefaults.Auth;

namespace Challenge.DevHost;

/// <summary>
/// The local stack's secrets: the database password and the token signing key. Generated at the first run into
/// the git-ignored data folder and kept there, so tokens stay valid across restarts; never committed.
/// </summary>
public sealed record DevSecrets(string Issuer, string DatabasePassword, SigningKey SigningKey)
{
    public const string DefaultIssuer = "challenge";
    private const string FileName = "secrets.json";

    private static readonly JsonSerializerOptions json = new() { WriteIndented = true };

    public static DevSecrets LoadOrCreate(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path))
                ?? throw new InvalidDataException($"{path} is empty; delete it to generate new secrets.");
            return new(stored.Issuer, stored.DatabasePassword, new SigningKey { Id = stored.KeyId, Secret = stored.KeySecret });
        }

        var secrets = new DevSecrets(DefaultIssuer, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), SigningKey.Generate());
        Directory.CreateDirectory(dataDirectory);
        var stored2 = new Stored(secrets.Issuer, secrets.DatabasePassword, secrets.SigningKey.Id, secrets.SigningKey.Secret);
        File.WriteAllText(path, JsonSerializer.Serialize(stored2, json));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return secrets;
    }

    /// <summary>The environment variables that hand the signing key to a service.</summary>
    public IEnumerable<KeyValuePair<string, string>> AuthEnvironment() =>
    [
        new("Auth__Issuer", Issuer),
        new("Auth__SigningKey__Id", SigningKey.Id),
        new("Auth__SigningKey__Secret", SigningKey.Secret),
    ];

    private sealed record Stored(string Issuer, string DatabasePassword, string KeyId, string KeySecret);
}
