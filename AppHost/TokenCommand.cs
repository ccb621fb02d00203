using System.Globalization;
using Challenge.ServiceDefaults.Auth;
using Microsoft.Extensions.Configuration;

namespace Challenge.AppHost;

/// <summary>The seed's <c>npm run generate:token</c>: tokens signed with the key the AppHost gives the services.</summary>
public static class TokenCommand
{
    public const string Usage = """
        ./run.sh token --role operator|client|service --audience <resource> [--subject SUB] [--expires-in SECONDS] [--not-before SECONDS] [--issuer ISSUER]
            Prints one token signed with the local stack's key (12 h for operators and clients, 1 h for services,
            the longest each may live; a service token's --subject names the calling service). A negative
            --expires-in gives an expired token, a positive --not-before one that is not valid yet, --issuer
            another issuer: each check can be proved.
        ./run.sh secret
            Prints a fresh signing key (Auth__SigningKey__Id / Auth__SigningKey__Secret) for a deployment.
        """;

    public static int Run(IReadOnlyList<string> args, IConfiguration configuration)
    {
        if (args is ["secret"])
        {
            var key = SigningKey.Generate();
            Console.WriteLine($"Auth__Issuer={LocalSecrets.Issuer}");
            Console.WriteLine($"Auth__SigningKey__Id={key.Id}");
            Console.WriteLine($"Auth__SigningKey__Secret={key.Secret}");
            return 0;
        }
        string? role = null, audience = null, issuer = null, subject = null;
        TimeSpan? expiresIn = null;
        var notBefore = TimeSpan.Zero;
        for (var i = 1; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--role" when value is Roles.Operator or Roles.Client or Roles.Service: role = value; i++; break;
                case "--subject" when !string.IsNullOrWhiteSpace(value): subject = value; i++; break;
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
        Console.WriteLine(TokenFactory.Create(LocalSecrets.SigningKeyOf(configuration), issuer ?? LocalSecrets.Issuer, audience, role,
            subject ?? $"local-{role}", expiresIn ?? (role == Roles.Service ? TimeSpan.FromHours(1) : TimeSpan.FromHours(12)), notBefore));
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
        Console.Error.WriteLine($"token: {message}\nusage:\n{Usage}");
        return 2;
    }
}
