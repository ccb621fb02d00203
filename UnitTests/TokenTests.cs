using Challenge.Contracts.Correlation;
using Challenge.Identity;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Challenge.UnitTests;

public sealed class TokenTests
{
    private static readonly SigningKey key = SigningKey.Generate();

    private static AuthOptions Options(string audience = "customers-api", SigningKey? signingKey = null) => new()
    {
        Issuer = "challenge", Audience = audience, SigningKey = signingKey, TrustedKeys = [key.Trusted("orders-api")],
    };

    [Fact]
    public async Task AMintedServiceTokenIsES256WithTheKeysThumbprintAsKidAndValidatesWithThePublicKeyAlone()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var issuer = new ServiceTokenIssuer(Microsoft.Extensions.Options.Options.Create(Options("orders-api", key)), time);

        var token = issuer.GetToken("customers-api");

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, AuthExtensions.ValidationParameters(Options()));
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(key.Id(), jwt.Kid);
        Assert.Equal(key.Trusted("orders-api").SecurityKey().KeyId, jwt.Kid);
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(Roles.Service, jwt.GetClaim("role").Value);
        Assert.Equal("orders-api", jwt.Subject);
        Assert.Equal(TimeSpan.FromMinutes(5), jwt.ValidTo - jwt.ValidFrom);
    }

    [Fact]
    public async Task AValidatedTokenIsRememberedUntilItExpiresAndAnInvalidOneNever()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var verified = new VerifiedTokens(time);
        var now = time.GetUtcNow();
        var token = TokenFactory.Create(key, "challenge", "customers-api", Roles.Service, "orders-api", now, now.AddMinutes(5));
        var forged = TokenFactory.Create(SigningKey.Generate(), "challenge", "customers-api", Roles.Service, "orders-api", now, now.AddMinutes(5));
        var parameters = AuthExtensions.ValidationParameters(Options());

        verified.Remember(token, await new JsonWebTokenHandler().ValidateTokenAsync(token, parameters));
        verified.Remember(forged, await new JsonWebTokenHandler().ValidateTokenAsync(forged, parameters));

        Assert.True(verified.Contains(token));
        Assert.False(verified.Contains(forged));
        var known = verified.Find(token)!;
        Assert.True(known.IsValid);
        Assert.NotSame(known.ClaimsIdentity, verified.Find(token)!.ClaimsIdentity);
        time.Advance(TimeSpan.FromMinutes(5) + AuthExtensions.ClockSkew);
        Assert.False(verified.Contains(token));
    }

    [Fact]
    public void AServiceTokenIsReusedUntilAMinuteBeforeItExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var issuer = new ServiceTokenIssuer(Microsoft.Extensions.Options.Options.Create(Options("orders-api", key)), time);

        var first = issuer.GetToken("customers-api");
        time.Advance(TimeSpan.FromMinutes(3.9));
        var reused = issuer.GetToken("customers-api");
        time.Advance(TimeSpan.FromMinutes(0.2));
        var renewed = issuer.GetToken("customers-api");

        Assert.Same(first, reused);
        Assert.NotEqual(first, renewed);
        Assert.NotEqual(first, issuer.GetToken("orchestrator"));
    }

    /// <summary>The console's tokens name the person using it, as an operator, for the API called; each person's is their own.</summary>
    [Fact]
    public void AnOperatorTokenOfTheConsoleNamesThePersonAndIsReusedForThatPersonOnly()
    {
        var key = SigningKey.Generate();
        var issuer = new ServiceTokenIssuer(Microsoft.Extensions.Options.Options.Create(Options("operator-console", key)), TimeProvider.System);

        var ada = issuer.GetOperatorToken("orders-api", "person-ada");
        var claims = new JsonWebToken(ada);

        Assert.Equal(("person-ada", "operator", "orders-api"), (claims.Subject, claims.GetClaim("role").Value, claims.Audiences.Single()));
        Assert.Same(ada, issuer.GetOperatorToken("orders-api", "person-ada"));
        Assert.NotEqual(ada, issuer.GetOperatorToken("orders-api", "person-bob"));
        Assert.NotEqual(ada, issuer.GetOperatorToken("customers-api", "person-ada"));
    }

    [Fact]
    public async Task ATokenOfAKeyNoLongerTrustedIsRejected()
    {
        var old = SigningKey.Generate();
        var token = TokenFactory.Create(old, "challenge", "customers-api", Roles.Service, "orders-api", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, AuthExtensions.ValidationParameters(Options()));

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("operator", "operator", "anyone", true)]
    [InlineData("operator", "client", "acme", true)]
    [InlineData("operator", "service", "orders-api", false)]
    [InlineData("orders-api", "service", "orders-api", true)]
    [InlineData("orders-api", "service", "orchestrator", false)]
    [InlineData("orders-api", "operator", "orders-api", false)]
    [InlineData("orders-api", "client", "orders-api", false)]
    [InlineData("orders-api", null, "orders-api", false)]
    [InlineData("operator-console", "operator", "person-ada", true)]
    [InlineData("operator-console", "client", "person-ada", false)]
    [InlineData("operator-console", "service", "operator-console", false)]
    [InlineData("operator-console", "service", "orders-api", false)]
    public void AKeyVouchesOnlyForItsOwnSigner(string signer, string? role, string subject, bool allowed) =>
        Assert.Equal(allowed, Signers.MaySign(signer, role, subject));

    [Fact]
    public void AClientActsForTheCustomerItsTokenNamesAndEveryoneElseForEveryCustomer()
    {
        static System.Security.Claims.ClaimsPrincipal User(string role, string? customer = null) => new(new System.Security.Claims.ClaimsIdentity(
            customer is null ? [new("role", role)] : [new("role", role), new(CustomerScope.ClaimName, customer)], "Bearer", "sub", "role"));

        var client = CustomerScope.Of(User(Roles.Client, "42"));

        Assert.True(client.Allows(42));
        Assert.False(client.Allows(43));
        Assert.True(CustomerScope.Of(User(Roles.Operator)).Allows(43));
        Assert.True(CustomerScope.Of(new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity())).Allows(43));
        Assert.False(CustomerScope.TryParse("0", out _));
        Assert.False(CustomerScope.TryParse("-1", out _));
        Assert.False(CustomerScope.TryParse(" 42", out _));
    }

    [Fact]
    public void KeysAreP256InBase64DerAndAnythingElseIsRefused()
    {
        using var p384 = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);

        Assert.True(key.IsValid());
        Assert.True(key.Trusted("orders-api").IsValid());
        Assert.False(new TrustedKey { PublicKey = key.Trusted("x").PublicKey, Signer = "" }.IsValid());
        Assert.False(new SigningKey { PrivateKey = "not base64!" }.IsValid());
        Assert.False(new SigningKey { PrivateKey = Convert.ToBase64String(p384.ExportPkcs8PrivateKey()) }.IsValid());
        Assert.False(new SigningKey { PrivateKey = Convert.ToBase64String(rsa.ExportPkcs8PrivateKey()) }.IsValid());
        Assert.False(new TrustedKey { PublicKey = Convert.ToBase64String(p384.ExportSubjectPublicKeyInfo()), Signer = "x" }.IsValid());
        // A public key is not a private key, nor the other way round.
        Assert.False(new SigningKey { PrivateKey = key.Trusted("x").PublicKey }.IsValid());
        Assert.False(new TrustedKey { PublicKey = key.PrivateKey, Signer = "x" }.IsValid());
    }

    [Theory]
    [InlineData("req-789", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("tab\there", false)]
    [InlineData("é", false)]
    public void ACorrelationIdIsKeptOnlyWhenPrintableAscii(string value, bool valid) =>
        Assert.Equal(valid, CorrelationIds.IsValid(value));

    [Fact]
    public void ACorrelationIdLongerThan128CharactersIsReplaced() =>
        Assert.False(CorrelationIds.IsValid(new string('x', 129)));
}
