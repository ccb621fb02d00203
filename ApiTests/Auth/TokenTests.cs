using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Challenge.ApiTests.Infrastructure;
using Challenge.TestSupport;
using Challenge.Identity;
using Microsoft.IdentityModel.Tokens;

namespace Challenge.ApiTests.Auth;

[Collection(ServicesCollection.Name)]
public sealed class TokenTests(ServicesFixture fixture)
{
    private ServicesFixture Stack => fixture;

    private SigningKey KeyOf(string holder) => Stack.SigningKeys[holder];

    private static string Sign(SigningKey key, string role = Roles.Service, string subject = Resources.OrdersApi, string audience = Resources.CustomersApi) =>
        TokenFactory.Create(key, "challenge", audience, role, subject, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));

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
                     Stack.CreateToken(Roles.Client, Resources.CustomersApi, customerId: 1),
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
        // A service the deployment knows (its token authenticates) but that this route does not serve.
        var (other, otherKey) = fixture.OtherService;
        var refused = fixture.Client(Resources.CustomersApi, Stack.CreateToken(Roles.Service, Resources.CustomersApi, subject: other, key: otherKey));
        await (await refused.GetAsync("/internal/customers/1")).ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    public static TheoryData<string, string, string> TokensASignerMayNotSign => new()
    {
        // holder of the signing key, role, subject
        { Resources.OrdersApi, Roles.Service, Resources.Orchestrator },
        { Resources.Orchestrator, Roles.Service, Resources.OrdersApi },
        { Resources.Orchestrator, Roles.Operator, "mallory" },
        { Resources.Orchestrator, Roles.Client, "mallory" },
        { Signers.Operator, Roles.Service, Resources.Orchestrator },
        { Signers.OperatorConsole, Roles.Client, "person-ada" },
        { Signers.OperatorConsole, Roles.Service, Signers.OperatorConsole },
        { Signers.OperatorConsole, Roles.Service, Resources.OrdersApi },
    };

    /// <summary>
    /// The console signs for the person signed in to it: an operator's token, which reaches what an operator's does, and
    /// lives as briefly as a service's (a token of its key claiming a person's 24 hours is refused).
    /// </summary>
    [Fact]
    public async Task TheConsolesKeyVouchesForAnOperatorNamedByThePersonForAnHourAtMost()
    {
        var token = Stack.CreateToken(Roles.Operator, Resources.CustomersApi, subject: "person-ada", key: KeyOf(Signers.OperatorConsole));
        var longLived = Stack.CreateToken(Roles.Operator, Resources.CustomersApi, subject: "person-ada", key: KeyOf(Signers.OperatorConsole),
            expiresIn: TimeSpan.FromHours(2));

        await (await fixture.Client(Resources.CustomersApi, token).GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await ExpectUnauthorizedAsync(await fixture.Client(Resources.CustomersApi, longLived).GetAsync("/customers/1"));
    }

    /// <summary>A service's key vouches for its own service tokens only, the operator key for people's only: no one mints another's.</summary>
    [Theory]
    [MemberData(nameof(TokensASignerMayNotSign))]
    public async Task ATokenSignedWithAKeyThatMayNotSignForItsRoleAndSubjectIsUnauthorized(string holder, string role, string subject)
    {
        // A client token names its customer, so that it is refused for its signer alone.
        long? customer = role == Roles.Client ? 1 : null;
        var token = Stack.CreateToken(role, Resources.CustomersApi, subject: subject, key: KeyOf(holder), customerId: customer);
        var client = fixture.Client(Resources.CustomersApi, token);

        await ExpectUnauthorizedAsync(await client.GetAsync("/internal/customers/1"));
        await ExpectUnauthorizedAsync(await client.GetAsync("/customers/1"));
        await ExpectUnauthorizedAsync(await fixture.Client(Resources.OrdersApi,
                Stack.CreateToken(role, Resources.OrdersApi, subject: subject, key: KeyOf(holder), customerId: customer))
            .GetAsync("/products/1"));
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
        "expired", "not yet valid", "other issuer", "other audience", "forged kid", "unknown key", "alg none", "no kid", "hs256 keyed with the public key",
        "two roles", "two subjects", "issued in the future", "garbage",
    };

    [Theory]
    [MemberData(nameof(RejectedTokens))]
    public async Task AnInvalidTokenIsUnauthorized(string kind)
    {
        var orchestratorKey = KeyOf(Resources.Orchestrator);
        var token = kind switch
        {
            // Past the 30 s of tolerated clock skew in both directions.
            "expired" => Stack.CreateToken(Roles.Service, Resources.CustomersApi, expiresIn: TimeSpan.FromSeconds(-45)),
            "not yet valid" => Stack.CreateToken(Roles.Service, Resources.CustomersApi, notBefore: TimeSpan.FromSeconds(45)),
            "other issuer" => Stack.CreateToken(Roles.Service, Resources.CustomersApi, issuer: "someone-else"),
            "other audience" => Stack.CreateToken(Roles.Service, Resources.OrdersApi),
            // Signed by a key of the attacker's, under the kid of a trusted key.
            "forged kid" => Handcrafted("ES256", orchestratorKey.Id(), SigningKey.Generate().SecurityKey().ECDsa.SignData),
            "unknown key" => Sign(SigningKey.Generate(), subject: Resources.Orchestrator),
            "alg none" => Handcrafted("none", orchestratorKey.Id(), sign: null),
            // Signed with the right key, but no kid names it: selection by kid is mandatory.
            "no kid" => Handcrafted("ES256", kid: null, orchestratorKey.SecurityKey().ECDsa.SignData),
            // The classic confusion: the public key, which every service knows, used as an HMAC secret.
            "hs256 keyed with the public key" => Handcrafted("HS256", orchestratorKey.Id(),
                (data, _) => HMACSHA256.HashData(Convert.FromBase64String(orchestratorKey.Trusted(Resources.Orchestrator).PublicKey), data)),
            // The orchestrator's key, a service token of its own... that also claims to be an operator's.
            "two roles" => Handcrafted("ES256", orchestratorKey.Id(), orchestratorKey.SecurityKey().ECDsa.SignData,
                Payload(role: new[] { Roles.Service, Roles.Operator })),
            // The Orders API's key, its own subject... and the orchestrator's beside it.
            "two subjects" => Handcrafted("ES256", KeyOf(Resources.OrdersApi).Id(), KeyOf(Resources.OrdersApi).SecurityKey().ECDsa.SignData,
                Payload(sub: new[] { Resources.OrdersApi, Resources.Orchestrator })),
            // Thirty minutes of lifetime, starting tomorrow, and no nbf: valid now, and for a day and a half.
            "issued in the future" => Handcrafted("ES256", orchestratorKey.Id(), orchestratorKey.SecurityKey().ECDsa.SignData,
                Payload(issuedAt: DateTimeOffset.UtcNow.AddDays(1), lifetime: TimeSpan.FromMinutes(30), withNotBefore: false)),
            _ => "not.a.jwt",
        };

        var client = fixture.Client(Resources.CustomersApi, token);

        await ExpectUnauthorizedAsync(await client.GetAsync("/internal/customers/1"));
        await ExpectUnauthorizedAsync(await fixture.Client(Resources.CustomersApi, token).GetAsync("/customers/1"));
    }

    /// <summary>The handcrafted tokens above are refused for what they change, not for being handcrafted.</summary>
    [Fact]
    public async Task AHandcraftedTokenOfTheRightShapeIsAccepted()
    {
        var key = KeyOf(Resources.Orchestrator);
        var token = Handcrafted("ES256", key.Id(), key.SecurityKey().ECDsa.SignData);

        await (await fixture.Client(Resources.CustomersApi, token).GetAsync("/internal/customers/1")).ExpectAsync(HttpStatusCode.OK);
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
        var previous = KeyOf(Resources.OrdersApi);
        var next = fixture.NextOrdersApiKey;
        var rotated = fixture.Host(Instances.CustomersApiRotating);

        await (await rotated.Client(Sign(previous)).GetAsync("/internal/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await (await rotated.Client(Sign(next)).GetAsync("/internal/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await ExpectUnauthorizedAsync(await rotated.Client(Sign(SigningKey.Generate())).GetAsync("/internal/customers/1"));
        // The stack's own instances do not know the next key yet.
        await ExpectUnauthorizedAsync(await fixture.Client(Resources.CustomersApi, Sign(next)).GetAsync("/internal/customers/1"));
    }

    [Fact]
    public async Task DevelopmentAllowsAnonymousOperatorsButNeverAnonymousServices()
    {
        var development = fixture.Host(Instances.CustomersApiDevelopment);
        var anonymous = development.Client();

        await (await anonymous.GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await ExpectUnauthorizedAsync(await anonymous.GetAsync("/internal/customers/1"));
        await (await development.Client(Sign(KeyOf(Signers.Operator), Roles.Operator, subject: "an-operator")).GetAsync("/internal/customers/1"))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task InDevelopmentAPresentedTokenIsJudgedAndOnlyARequestWithoutOneIsAnonymous()
    {
        var development = fixture.Host(Instances.CustomersApiDevelopment);
        var expired = Stack.CreateToken(Roles.Operator, Resources.CustomersApi, expiresIn: TimeSpan.FromMinutes(-10));
        var forged = TokenFactory.Create(SigningKey.Generate(), "challenge", Resources.CustomersApi, Roles.Operator, "an-operator",
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));

        await (await development.Client().GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
        await ExpectUnauthorizedAsync(await development.Client(expired).GetAsync("/customers/1"));
        await ExpectUnauthorizedAsync(await development.Client(forged).GetAsync("/customers/1"));
        await ExpectUnauthorizedAsync(await development.Client("not-a-token").PostJsonAsync("/customers", new { name = "Nobody", email = Unique.Email() }));
        // A valid token is held to its role there too: a client is no operator.
        await (await development.Client(Stack.CreateToken(Roles.Client, Resources.CustomersApi, customerId: 1)).GetAsync("/customers/1"))
            .ExpectProblemAsync(HttpStatusCode.Forbidden);
        await (await development.Client(Stack.CreateToken(Roles.Operator, Resources.CustomersApi)).GetAsync("/customers/1")).ExpectAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(Roles.Operator, "")]
    [InlineData(Roles.Operator, "   ")]
    [InlineData(Roles.Client, "")]
    [InlineData(Roles.Client, "\t")]
    public async Task ATokenWhoseSubjectIsEmptyOrBlankIsInvalid(string role, string subject)
    {
        var token = TokenFactory.Create(KeyOf(Signers.Operator), "challenge", Resources.OrdersApi, role, subject,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5), customerId: role == Roles.Client ? 1 : null);

        // Valid in every other way: accepted, it would make every such caller one and the same (one key space, one bucket).
        await ExpectUnauthorizedAsync(await fixture.Client(Resources.OrdersApi, token).GetAsync("/products/1"));
    }

    /// <summary>The claims of a handcrafted token: by default, the orchestrator's service token for the Customers API, valid now.</summary>
    private static Dictionary<string, object> Payload(object? role = null, object? sub = null, DateTimeOffset? issuedAt = null, TimeSpan? lifetime = null,
        bool withNotBefore = true)
    {
        var iat = (issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>
        {
            ["iss"] = "challenge", ["aud"] = Resources.CustomersApi, ["role"] = role ?? Roles.Service, ["sub"] = sub ?? Resources.Orchestrator,
            ["iat"] = iat, ["exp"] = iat + (long)(lifetime ?? TimeSpan.FromMinutes(5)).TotalSeconds,
        };
        if (withNotBefore)
        {
            payload["nbf"] = iat;
        }
        return payload;
    }

    /// <summary>A token built by hand: any alg, any kid or none, any claims, signed by <paramref name="sign"/> (none when null).</summary>
    private static string Handcrafted(string alg, string? kid, Func<byte[], HashAlgorithmName, byte[]>? sign, Dictionary<string, object>? payload = null)
    {
        var header = Base64UrlEncoder.Encode(kid is null ? JsonSerializer.Serialize(new { alg, typ = "JWT" }) : JsonSerializer.Serialize(new { alg, typ = "JWT", kid }));
        var body = Base64UrlEncoder.Encode(JsonSerializer.Serialize(payload ?? Payload()));
        var signature = sign is null ? "" : Base64UrlEncoder.Encode(sign(Encoding.ASCII.GetBytes($"{header}.{body}"), HashAlgorithmName.SHA256));
        return $"{header}.{body}.{signature}";
    }
}
