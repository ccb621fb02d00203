using System.Globalization;
using Challenge.Identity;
using Microsoft.Extensions.Configuration;

// ./run.sh token: people's tokens signed with the local operator key (which no service holds),
// and service tokens signed with the calling service's own key; and fresh key pairs for a deployment.
const string usage = """
    ./run.sh token --role operator|client|service --audience <resource> [--subject SUB] [--customer ID] [--expires-in SECONDS] [--not-before SECONDS] [--issuer ISSUER]
        Prints one ES256 token for the local stack: an operator's or a client's signed with the operator key,
        a service's (--subject orders-api|orchestrator, the calling service) with that service's key. A client's
        token names the customer it acts for (--customer, required for a client and for no one else). It lives
        24 h (people) or 1 h (services), the longest each may. A negative --expires-in gives an expired token,
        a positive --not-before one that is not valid yet, --issuer another issuer: each check can be proved.
    ./run.sh secret [--signer operator|<service>]
        Prints a fresh ES256 key pair for a deployment: the private key for the signer alone, the public key
        for every service that accepts the signer's tokens.
    ./run.sh secret --key-ring
        Prints a fresh certificate with its private key (PEM) for a deployment's Webhooks__KeyRingCertificate,
        which encrypts the webhook secrets' key ring: the same for the Orders API and the dispatcher.
    """;

return args switch
{
    ["secret"] => PrintKeyPair(Signers.Operator),
    ["secret", "--signer", { Length: > 0 } signer] => PrintKeyPair(signer),
    ["secret", "--key-ring"] => PrintKeyRingCertificate(),
    ["secret", ..] => Fail("secret takes --signer NAME, or --key-ring"),
    ["token", .. var options] => PrintToken(options),
    _ => Fail("the command is token or secret"),
};

int PrintToken(string[] options)
{
    string? role = null, audience = null, issuer = null, subject = null;
    long? customer = null;
    TimeSpan? expiresIn = null;
    var notBefore = TimeSpan.Zero;
    for (var i = 0; i < options.Length; i++)
    {
        var value = i + 1 < options.Length ? options[i + 1] : null;
        switch (options[i])
        {
            case "--role" when value is Roles.Operator or Roles.Client or Roles.Service: role = value; i++; break;
            case "--subject" when !string.IsNullOrWhiteSpace(value): subject = value; i++; break;
            case "--audience" when !string.IsNullOrWhiteSpace(value): audience = value; i++; break;
            case "--customer" when CustomerScope.TryParse(value, out var id): customer = id; i++; break;
            case "--issuer" when !string.IsNullOrWhiteSpace(value): issuer = value; i++; break;
            case "--expires-in" when TryParseSeconds(value, out var seconds): expiresIn = seconds; i++; break;
            case "--not-before" when TryParseSeconds(value, out var seconds): notBefore = seconds; i++; break;
            default: return Fail($"unexpected or invalid argument '{options[i]}'");
        }
    }
    if (role is null || audience is null)
    {
        return Fail("--role and --audience are required");
    }
    if ((role == Roles.Client) != customer.HasValue)
    {
        return Fail("a client token names the customer it acts for (--customer ID, a positive id); no other token names one");
    }
    var signer = role == Roles.Service ? subject : Signers.Operator;
    if (signer is null || !LocalStack.Signers.Contains(signer))
    {
        return Fail($"a service token's --subject is the calling service, one of {string.Join(", ", LocalStack.Signers.Where(s => Signers.MaySign(s, Roles.Service, s)))}");
    }
    // The keys the AppHost generated at its first run and keeps in its user secrets (or set in the environment).
    var configuration = new ConfigurationBuilder().AddUserSecrets(typeof(Program).Assembly, optional: true).AddEnvironmentVariables().Build();
    if (configuration[$"Parameters:{LocalStack.SigningKeyParameter(signer)}"] is not { Length: > 0 } privateKey)
    {
        Console.Error.WriteLine($"token: the local stack has no key for {signer} yet; start it once with ./run.sh, which generates its keys.");
        return 1;
    }
    Console.WriteLine(TokenFactory.Create(new SigningKey { PrivateKey = privateKey }, issuer ?? LocalStack.Issuer, audience, role,
        subject ?? $"local-{role}", expiresIn ?? new AuthOptions().MaxLifetime(role), notBefore, customer));
    return 0;
}

static int PrintKeyPair(string signer)
{
    var key = SigningKey.Generate();
    var trusted = key.Trusted(signer);
    Console.WriteLine($"# kid {key.Id()}: the private key, for {signer} alone{(signer == Signers.Operator ? " (whoever issues people's tokens; never a service)" : "")}");
    Console.WriteLine($"Auth__SigningKey__PrivateKey={key.PrivateKey}");
    Console.WriteLine($"# the public key, for every service that accepts {signer}'s tokens (N: the next free index)");
    Console.WriteLine($"Auth__TrustedKeys__N__PublicKey={trusted.PublicKey}");
    Console.WriteLine($"Auth__TrustedKeys__N__Signer={trusted.Signer}");
    return 0;
}

static int PrintKeyRingCertificate()
{
    Console.Write(Challenge.Webhooks.Signing.KeyRingCertificate.Generate());
    return 0;
}

static bool TryParseSeconds(string? value, out TimeSpan seconds)
{
    var ok = long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count);
    seconds = TimeSpan.FromSeconds(ok ? count : 0);
    return ok;
}

int Fail(string message)
{
    Console.Error.WriteLine($"{message}\nusage:\n{usage}");
    return 2;
}
