using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Challenge.UnitTests;

public sealed class TokenTests
{
    private static readonly SigningKey key = SigningKey.Generate();

    private static AuthOptions Options(string audience = "customers-api") =>
        new() { Issuer = "challenge", Audience = audience, SigningKey = key };

    [Fact]
    public async Task AMintedServiceTokenCarriesTheKidRoleAndCalledServiceAndValidates()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var issuer = new ServiceTokenIssuer(Microsoft.Extensions.Options.Options.Create(Options("orders-api")), time);

        var token = issuer.GetToken("customers-api");

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, AuthExtensions.ValidationParameters(Options()));
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(key.Id, jwt.Kid);
        Assert.Equal("HS256", jwt.Alg);
        Assert.Equal(Roles.Service, jwt.GetClaim("role").Value);
        Assert.Equal("orders-api", jwt.Subject);
        Assert.Equal(TimeSpan.FromMinutes(5), jwt.ValidTo - jwt.ValidFrom);
    }

    [Fact]
    public void AServiceTokenIsReusedUntilAMinuteBeforeItExpires()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var issuer = new ServiceTokenIssuer(Microsoft.Extensions.Options.Options.Create(Options()), time);

        var first = issuer.GetToken("orders-api");
        time.Advance(TimeSpan.FromMinutes(3.9));
        var reused = issuer.GetToken("orders-api");
        time.Advance(TimeSpan.FromMinutes(0.2));
        var renewed = issuer.GetToken("orders-api");

        Assert.Same(first, reused);
        Assert.NotEqual(first, renewed);
        Assert.NotEqual(first, issuer.GetToken("customers-api"));
    }

    [Fact]
    public async Task ATokenOfAKeyNoLongerActiveIsRejected()
    {
        var old = SigningKey.Generate();
        var token = TokenFactory.Create(old, "challenge", "customers-api", Roles.Operator, "op", DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, AuthExtensions.ValidationParameters(Options()));

        Assert.False(result.IsValid);
    }

    [Theory]
    [InlineData("key", "c2hvcnQ=", false)]
    [InlineData("", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", false)]
    [InlineData("key", "not base64!", false)]
    [InlineData("key", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", true)]
    public void AKeyNeedsAnIdAndAtLeast32BytesOfSecret(string id, string secret, bool valid) =>
        Assert.Equal(valid, new SigningKey { Id = id, Secret = secret }.IsValid());

    [Theory]
    [InlineData("req-789", true)]
    [InlineData("", false)]
    [InlineData("has space", false)]
    [InlineData("tab\there", false)]
    [InlineData("é", false)]
    public void ACorrelationIdIsKeptOnlyWhenPrintableAscii(string value, bool valid) =>
        Assert.Equal(valid, CorrelationId.IsValid(value));

    [Fact]
    public void ACorrelationIdLongerThan128CharactersIsReplaced() =>
        Assert.False(CorrelationId.IsValid(new string('x', 129)));
}
