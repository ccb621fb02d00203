using Challenge.StackHarness;
using System.Text.RegularExpressions;

namespace Challenge.UnitTests;

/// <summary>What the deployment files promise, read from the files themselves.</summary>
public sealed partial class DeploymentFilesTests
{
    private static string Read(string path) => File.ReadAllText(Path.Combine(SourceTree.Root, path));

    [Fact]
    public void TheLambdaTemplateTakesOnlyHttpsAddressesForTheApis()
    {
        var template = Read("OrchestratorLambda/template.yaml");

        foreach (var parameter in new[] { "CustomersApiUrl", "OrdersApiUrl" })
        {
            var declaration = Regex.Match(template, $@"^  {parameter}:\n((?:    .*\n)+)", RegexOptions.Multiline).Groups[1].Value;
            var pattern = AllowedPattern().Match(declaration).Groups[1].Value;
            Assert.False(string.IsNullOrEmpty(pattern), $"{parameter} has no AllowedPattern");
            Assert.Matches(pattern, "https://orders.internal.example.com");
            Assert.Matches(pattern, "https://10.0.1.10:3002/base");
            Assert.DoesNotMatch(pattern, "http://orders.internal.example.com");
            Assert.DoesNotMatch(pattern, "https://");
        }
    }

    [Fact]
    public void TheLambdaFunctionsPrivateKeyIsNoEnvironmentVariableButASecretItReadsAtStart()
    {
        var template = Read("OrchestratorLambda/template.yaml");

        Assert.DoesNotContain("Auth__SigningKey__PrivateKey", template, StringComparison.Ordinal);
        Assert.DoesNotContain("resolve:secretsmanager", template, StringComparison.Ordinal);
        Assert.Contains("Lambda__SigningKeySecret: !Ref SigningKeySecretArn", template, StringComparison.Ordinal);
        Assert.Contains("- !Ref SecretsExtensionLayerArn", template, StringComparison.Ordinal);
    }

    [Fact]
    public void ComposePublishesTheApisOnLoopbackUnlessToldOtherwise()
    {
        var ports = PortMapping().Matches(Read("docker-compose.yml")).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(ports);
        Assert.All(ports, port => Assert.StartsWith("${PUBLISH_ADDRESS:-127.0.0.1}:", port, StringComparison.Ordinal));
    }

    [Fact]
    public void ComposeMigratesTheDatabasesBeforeAnyServiceStartsAndRunsTheDispatcher()
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(Read("docker-compose.yml")));
        var services = ((YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents.Single().RootNode).Map("services");

        Assert.Equal("docker/db-init.Dockerfile", services.Map("db-init").Map("build").Scalar("dockerfile"));
        foreach (var service in new[] { "customers-api", "orders-api", "order-events" })
        {
            Assert.Equal("service_completed_successfully", services.Map(service).Map("depends_on").Map("db-init").Scalar("condition"));
        }
        Assert.Equal("OrderEvents", services.Map("order-events").Map("build").Map("args").Scalar("SERVICE"));
        foreach (var service in new[] { "orders-api", "order-events" })
        {
            Assert.StartsWith("${WEBHOOKS_KEY_RING_CERTIFICATE:?", services.Map(service).Map("environment").Scalar("Webhooks__KeyRingCertificate"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ComposeRunsTheConsoleWithItsOwnKeyItsSignInFromTheEnvironmentAndEveryServiceTrustsIt()
    {
        var stream = new YamlDotNet.RepresentationModel.YamlStream();
        stream.Load(new StringReader(Read("docker-compose.yml")));
        var root = (YamlDotNet.RepresentationModel.YamlMappingNode)stream.Documents.Single().RootNode;
        var services = root.Map("services");
        var console = services.Map("operator-console").Map("environment");
        var trusted = root.Map("x-trusted-keys");

        Assert.Equal("OperatorConsole", services.Map("operator-console").Map("build").Map("args").Scalar("SERVICE"));
        Assert.StartsWith("${OPERATOR_CONSOLE_PRIVATE_KEY:?", console.Scalar("Auth__SigningKey__PrivateKey"), StringComparison.Ordinal);
        foreach (var (setting, variable) in new[] { ("Authority", "OIDC_AUTHORITY"), ("ClientId", "OIDC_CLIENT_ID"), ("ClientSecret", "OIDC_CLIENT_SECRET") })
        {
            Assert.StartsWith($"${{{variable}:?", console.Scalar($"OpenIdConnect__{setting}"), StringComparison.Ordinal);
        }
        Assert.Equal("operator-console", trusted.Scalar("Auth__TrustedKeys__3__Signer"));
        Assert.StartsWith("${OPERATOR_CONSOLE_PUBLIC_KEY:?", trusted.Scalar("Auth__TrustedKeys__3__PublicKey"), StringComparison.Ordinal);
        foreach (var service in new[] { "customers-api", "orders-api", "order-events" })
        {
            // Each service merges the trusted keys (<<: *trusted-keys).
            Assert.Same(trusted, services.Map(service).Map("environment").Map("<<"));
        }
    }

    [Fact]
    public void NoBuildContextCarriesTheLocalStacksDataOrKeys() =>
        Assert.Contains("**/.data/", Read(".dockerignore").Split('\n').Select(line => line.Trim()));

    [GeneratedRegex(@"AllowedPattern: '([^']+)'")]
    private static partial Regex AllowedPattern();

    [GeneratedRegex(@"^\s+- ""([^""]+)""\s*$", RegexOptions.Multiline)]
    private static partial Regex PortMapping();
}
