using System.Globalization;
using Challenge.ServiceDefaults.Auth;

namespace Challenge.DevHost;

/// <summary>The seed's <c>npm run generate:token</c>: tokens for the local stack, and fresh secrets for deployments.</summary>
public static class TokenCommand
{
    public const string Usage = """
        token --role operator|service --audience <resource> [--expires-in SECONDS] [--not-before SECONDS] [--issuer ISSUER]
            Prints one token signed with the local stack's key. A negative --expires-in gives an expired token,
            a positive --not-before one that is not valid yet, --issuer another issuer: each check can be proved.
        secret
            Prints a fresh signing key (Auth__SigningKey__Id / Auth__SigningKey__Secret) and, signed with it, a
            one-year service token for each API: the static SERVICE_TOKEN of the seed.
        """;

    public static string Create(DevSecrets secrets, string role, string audience, TimeSpan expiresIn, TimeSpan notBefore, string? issuer)
    {
        var now = DateTimeOffset.UtcNow;
        var expires = now + expiresIn;
        var validFrom = now + notBefore;
        if (expires <= validFrom)
        {
            // An already-expired token still has to have been valid once.
            validFrom = expires - TimeSpan.FromMinutes(5);
        }
        return TokenFactory.Create(secrets.SigningKey, issuer ?? secrets.Issuer, audience, role, $"devhost-{role}", validFrom, expires);
    }

    public static int PrintToken(IReadOnlyList<string> args, string dataDirectory)
    {
        string? role = null, audience = null, issuer = null;
        var expiresIn = TimeSpan.FromHours(12);
        var notBefore = TimeSpan.Zero;
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--role" when value is Roles.Operator or Roles.Service: role = value; i++; break;
                case "--audience" when !string.IsNullOrWhiteSpace(value): audience = value; i++; break;
                case "--issuer" when !string.IsNullOrWhiteSpace(value): issuer = value; i++; break;
                case "--expires-in" when TryParseSeconds(value, out var seconds): expiresIn = seconds; i++; break;
                case "--not-before" when TryParseSeconds(value, out var seconds): notBefore = seconds; i++; break;
                default: return Fail($"unexpected or invalid argument '{args[i]}'");
            }
        }
        if (role is null || audience is null)
        {
            return Fail("--role and --audience are required");
        }
        Console.WriteLine(Create(DevSecrets.LoadOrCreate(dataDirectory), role, audience, expiresIn, notBefore, issuer));
        return 0;
    }

    public static int PrintSecret()
    {
        var key = SigningKey.Generate();
        var secrets = new DevSecrets(DevSecrets.DefaultIssuer, "", key);
        Console.WriteLine($"Auth__Issuer={secrets.Issuer}");
        Console.WriteLine($"Auth__SigningKey__Id={key.Id}");
        Console.WriteLine($"Auth__SigningKey__Secret={key.Secret}");
        foreach (var audience in new[] { StackResources.CustomersApi, StackResources.OrdersApi })
        {
            var token = Create(secrets, Roles.Service, audience, TimeSpan.FromDays(365), TimeSpan.Zero, null);
            Console.WriteLine($"SERVICE_TOKEN ({audience}, 1 year)={token}");
        }
        return 0;
    }

    private static bool TryParseSeconds(string? value, out TimeSpan seconds)
    {
        var ok = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count);
        seconds = TimeSpan.FromSeconds(ok ? count : 0);
        return ok;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine($"token: {message}\nusage: {Usage}");
        return 2;
    }
}
