using System.Net;
using System.Text;
using System.Text.Json;
using Challenge.IntegrationTests.Infrastructure;
using Challenge.ServiceDefaults.Auth;
using Challenge.StackHarness;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.IntegrationTests.Auth;

[Collection(StackCollection.Name)]
public sealed class TokenTests(StackFixture fixture)
{
    private RunningStack Stack => fixture.Stack;

    private SigningKey StackKey => Stack.SigningKey;

    private static string Sign(SigningKey key, string role = Roles.Service, string audience = Resources.CustomersApi, string issuer = "challenge") =>
        TokenFactory.Create(key, issuer, audience, role, Resources.OrdersApi, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));

    private static async Task ExpectUnauthorizedAsync(HttpResponseMessage response)
    {
        await response.ExpectProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task PublicEndpointsNeedATokenOutsideDevelopment()
    {
        Assert.NotEqual("Development", Stack.Environment);
        var anonymous = fixture.Client(Resources.CustomersApi);

        await ExpectUnauthorizedAsync(await anonymous.GetAsync("/customers/1"));
        await ExpectUnauthorizedAsync(await anonymous.GetAsync("/customers"));
        await ExpectUnauthorizedAsync(await anonymous.PostJsonAsync("/customers", new { name = "Anon", email = Unique.Email() }));
    }

    [Fact]
    public async Task OnlyOperatorTokensMayUseThePublicEndpoints()
    {
        await (await fixture.Operator(Resources.CustomersApi).GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        foreach (var token in new[]
                 {
                     Stack.CreateToken(Roles.Service, Resources.CustomersApi, subject: Resources.OrdersApi),
                     Stack.CreateToken(Roles.Client, Resources.CustomersApi),
                 })
        {
            var client = fixture.Client(Resources.CustomersApi, token);
            await (await client.GetAsync("/customers/1")).ExpectProblemAsync(HttpStatusCode.Forbidden);
            await (await client.PostJsonAsync("/customers", new { name = "Not an operator", email = Unique.Email() })).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task EachInternalRouteRefusesTheServicesItDoesNotServe()
    {
        foreach (var caller in new[] { Resources.OrdersApi, Resources.Orchestrator })
        {
            var client = fixture.Client(Resources.CustomersApi, Stack.CreateToken(Roles.Service, Resources.CustomersApi, subject: caller));
            await (await client.GetAsync("/internal/customers/1")).ExpectAsync(HttpStatusCode.OK);
        }
        foreach (var caller in new[] { Resources.CustomersApi, "test-service" })
        {
            var client = fixture.Client(Resources.CustomersApi, Stack.CreateToken(Roles.Service, Resources.CustomersApi, subject: caller));
            await (await client.GetAsync("/internal/customers/1")).ExpectProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    [Theory]
    [InlineData(Roles.Service, 61, false)]
    [InlineData(Roles.Service, 59, true)]
    [InlineData(Roles.Operator, 24 * 60 + 1, false)]
    [InlineData(Roles.Operator, 23 * 60, true)]
    public async Task ATokenThatClaimsToLiveLongerThanItsRoleMayIsUnauthorized(string role, int minutes, bool accepted)
    {
        var token = Stack.CreateToken(role, Resources.CustomersApi, expiresIn: TimeSpan.FromMinutes(minutes), subject: Resources.OrdersApi);
        var path = role == Roles.Service ? "/internal/customers/1" : "/customers/1";

        var response = await fixture.Client(Resources.CustomersApi, token).GetAsync(path);

        if (accepted)
        {
            await response.ExpectAsync(HttpStatusCode.OK);
        }
        else
        {
            await ExpectUnauthorizedAsync(response);
        }
    }

    [Fact]
    public async Task TheInternalLookupReturnsTheCustomerToAService()
    {
        var client = fixture.Service(Resources.CustomersApi);

        var customer = await (await client.GetAsync("/internal/customers/1")).ExpectAsync(HttpStatusCode.OK);

        Assert.Equal("ACME Corp", customer.GetProperty("name").GetString());
    }

    [Fact]
    public async Task TheInternalLookupOfAnUnknownCustomerIsNotFound()
    {
        var client = fixture.Service(Resources.CustomersApi);

        await (await client.GetAsync($"/internal/customers/{long.MaxValue}")).ExpectProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnOperatorTokenIsForbiddenOnTheInternalLookup()
    {
        var client = fixture.Operator(Resources.CustomersApi);

        var problem = await (await client.GetAsync("/internal/customers/1")).ExpectProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(403, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task TheInternalLookupNeedsAToken()
    {
        await ExpectUnauthorizedAsync(await fixture.Client(Resources.CustomersApi).GetAsync("/internal/customers/1"));
    }

    public static TheoryData<string> RejectedTokens => new()
    {
        "expired", "not yet valid", "other issuer", "other audience", "wrong secret", "unknown kid", "alg none", "no kid", "garbage",
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task AnInvalidTokenIsUnauthorized(string kind)
    {
        var stackKey = StackKey;
        var token = kind switch
        {
            // Past the 30 s of tolerated clock skew in both directions.
            "expired" => Stack.CreateToken(Roles.Service, Resources.CustomersApi, expiresIn: TimeSpan.FromSeconds(-45)),
            "not yet valid" => Stack.CreateToken(Roles.Service, Resources.CustomersApi, notBefore: TimeSpan.FromSeconds(45)),
            "other issuer" => Stack.CreateToken(Roles.Service, Resources.CustomersApi, issuer: "someone-else"),
            "other audience" => Stack.CreateToken(Roles.Service, Resources.OrdersApi),
            "wrong secret" => Sign(new SigningKey { Id = stackKey.Id, Secret = SigningKey.Generate().Secret }),
            "unknown kid" => Sign(SigningKey.Generate()),
            "alg none" => Unsigned(stackKey.Id),
            "no kid" => WithoutKid(stackKey),
            _ => "not.a.jwt",
        };

        var client = fixture.Client(Resources.CustomersApi, token);

        await ExpectUnauthorizedAsync(await client.GetAsync("/internal/customers/1"));
        await ExpectUnauthorizedAsync(await fixture.Client(Resources.CustomersApi, token).GetAsync("/customers/1"));
    }

    [Fact]
    public async Task ATokenExpiredWithinTheClockSkewIsStillAccepted()
    {
        var token = Stack.CreateToken(Roles.Service, Resources.CustomersApi, expiresIn: TimeSpan.FromSeconds(-10), subject: Resources.OrdersApi);

        await (await fixture.Client(Resources.CustomersApi, token).GetAsync("/internal/customers/1")).ExpectAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task DuringAKeyRotationTokensOfBothActiveKeysAreAccepted()
    {
        var previous = StackKey;
        var next = fixture.NextKey;
        var rotated = await Stack.StartInstanceAsync(Instances.CustomersApiRotating);

        await (await StackFixture.Client(rotated, Sign(previous)).GetAsync("/internal/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await (await StackFixture.Client(rotated, Sign(next)).GetAsync("/internal/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await ExpectUnauthorizedAsync(await StackFixture.Client(rotated, Sign(SigningKey.Generate())).GetAsync("/internal/customers/1"));
        // The stack's own instances do not know the next key yet.
        await ExpectUnauthorizedAsync(await fixture.Client(Resources.CustomersApi, Sign(next)).GetAsync("/internal/customers/1"));
    }

    [Fact]
    public async Task DevelopmentAllowsAnonymousOperatorsButNeverAnonymousServices()
    {
        var development = await Stack.StartInstanceAsync(Instances.CustomersApiDevelopment);
        var anonymous = StackFixture.Client(development);

        await (await anonymous.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await ExpectUnauthorizedAsync(await anonymous.GetAsync("/internal/customers/1"));
        await (await StackFixture.Client(development, Sign(StackKey, Roles.Operator)).GetAsync("/internal/customers/1"))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    private static string Unsigned(string kid)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new { alg = "none", typ = "JWT", kid }));
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new
        {
            iss = "challenge", aud = Resources.CustomersApi, role = Roles.Service, sub = "forger", nbf = now, exp = now + 300,
        }));
        return $"{header}.{payload}.";
    }

    private static string WithoutKid(SigningKey key)
    {
        // Signed with the right secret, but no kid names the key: selection by kid is mandatory.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64UrlEncoder.Encode("""{"alg":"HS256","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(JsonSerializer.Serialize(new
        {
            iss = "challenge", aud = Resources.CustomersApi, role = Roles.Service, sub = "test", nbf = now, exp = now + 300,
        }));
        using var hmac = new System.Security.Cryptography.HMACSHA256(key.SecretBytes());
        var signature = Base64UrlEncoder.Encode(hmac.ComputeHash(Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }
}
