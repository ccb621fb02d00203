using Challenge.StackHarness;
using System.Globalization;
using System.Text.Json;
using Challenge.Identity;
using YamlDotNet.RepresentationModel;

namespace Challenge.UnitTests;

/// <summary>
/// What deploy/kubernetes promises, read from what kustomize renders of it (scripts/render-kubernetes.sh, which
/// ./test.sh runs first): every service is there with the settings the AppHost gives it locally, locked down the same
/// way, probed on the right endpoints, scaled and protected from eviction; no secret value is written in it.
/// </summary>
public sealed class KubernetesTests
{
    private static readonly string folder = Path.Combine(SourceTree.Root, "deploy", "kubernetes");
    private static readonly List<YamlMappingNode> objects = LoadObjects();

    public static TheoryData<string> Services => [ServiceNames.CustomersApi, ServiceNames.OrdersApi, ServiceNames.OrderEvents];

    [Fact]
    public void EveryManifestInTheFolderIsRenderedAndLabelledAsPartOfTheProduct()
    {
        var listed = Kustomization().Scalars("resources").ToList();
        var present = Directory.GetFiles(folder, "*.yaml").Select(Path.GetFileName).Where(name => name != "kustomization.yaml");
        var written = listed.Sum(file => Load(Path.Combine(folder, file)).Documents.Count);

        Assert.Equal(present.Order(), listed.Order());
        Assert.Equal(written, objects.Count);
        Assert.All(objects, item => Assert.Equal("challenge", item.Map("metadata").Map("labels").Scalar("app.kubernetes.io/part-of")));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void EachServiceListensOnItsLocalPortAndIsProbedOnItsHealthEndpoints(string service)
    {
        var container = Container(Deployment(service));
        var port = LaunchPort(service);

        Assert.Equal(port, container.Maps("ports").Single().Scalar("containerPort"));
        // Ready with the database (/health); alive with the process alone (/alive), so that a database outage takes
        // pods out of the Service but never restarts them all.
        Assert.Equal("/health", container.Map("readinessProbe").Map("httpGet").Scalar("path"));
        Assert.Equal("/alive", container.Map("livenessProbe").Map("httpGet").Scalar("path"));
        Assert.Equal("/alive", container.Map("startupProbe").Map("httpGet").Scalar("path"));
        if (service != ServiceNames.OrderEvents)
        {
            Assert.Equal(port, Named("Service", service).Map("spec").Maps("ports").Single().Scalar("port"));
        }
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void EachServiceTrustsExactlyTheSignersTheAppHostTrusts(string service)
    {
        var environment = Environment(Container(Deployment(service)));

        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"].Scalar("value"));
        Assert.Equal(LocalStack.Issuer, environment["Auth__Issuer"].Scalar("value"));
        foreach (var (signer, index) in LocalStack.Signers.Select((signer, index) => (signer, index)))
        {
            Assert.Equal(signer, environment[$"Auth__TrustedKeys__{index}__Signer"].Scalar("value"));
            Assert.Equal($"{signer}-public-key", SecretKey(environment[$"Auth__TrustedKeys__{index}__PublicKey"], "challenge-keys"));
        }
        Assert.False(environment.ContainsKey($"Auth__TrustedKeys__{LocalStack.Signers.Count}__Signer"));
    }

    [Fact]
    public void OnlyTheOrdersApiSignsAndItFindsTheCustomersApiByItsService()
    {
        Assert.Equal("orders-api-private-key", SecretKey(Environment(Container(Deployment(ServiceNames.OrdersApi)))["Auth__SigningKey__PrivateKey"], "challenge-keys"));
        Assert.Equal($"http://{ServiceNames.CustomersApi}:{LaunchPort(ServiceNames.CustomersApi)}",
            Environment(Container(Deployment(ServiceNames.OrdersApi)))[$"services__{ServiceNames.CustomersApi}__http__0"].Scalar("value"));
        Assert.DoesNotContain("Auth__SigningKey__PrivateKey", Environment(Container(Deployment(ServiceNames.CustomersApi))).Keys);
        Assert.DoesNotContain("Auth__SigningKey__PrivateKey", Environment(Container(Deployment(ServiceNames.OrderEvents))).Keys);
    }

    [Theory]
    [InlineData(ServiceNames.CustomersApi, "customersdb")]
    [InlineData(ServiceNames.OrdersApi, "ordersdb")]
    [InlineData(ServiceNames.OrderEvents, "ordersdb")]
    public void EachServiceReadsItsOwnDatabaseFromTheSecret(string service, string database)
    {
        var environment = Environment(Container(Deployment(service)));

        Assert.Equal(database, SecretKey(environment[$"ConnectionStrings__{database}"], "challenge-databases"));
        Assert.Single(environment.Keys, name => name.StartsWith("ConnectionStrings__", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Services))]
    public void EachServiceRunsLockedDownWithBoundedResourcesAndTwoInstancesAtLeast(string service)
    {
        var deployment = Deployment(service);
        var pod = deployment.Map("spec").Map("template").Map("spec");
        var container = Container(deployment);

        Assert.Equal("false", pod.Scalar("automountServiceAccountToken"));
        Assert.Equal("true", pod.Map("securityContext").Scalar("runAsNonRoot"));
        Assert.Equal("false", container.Map("securityContext").Scalar("allowPrivilegeEscalation"));
        Assert.Equal("true", container.Map("securityContext").Scalar("readOnlyRootFilesystem"));
        Assert.Equal(["ALL"], container.Map("securityContext").Map("capabilities").Scalars("drop"));
        foreach (var bound in (string[])["requests", "limits"])
        {
            Assert.NotEmpty(container.Map("resources").Map(bound).Scalar("cpu"));
            Assert.NotEmpty(container.Map("resources").Map(bound).Scalar("memory"));
        }
        Assert.True(int.Parse(deployment.Map("spec").Scalar("replicas"), CultureInfo.InvariantCulture) >= 2);
        Assert.Equal("1", Named("PodDisruptionBudget", service).Map("spec").Scalar("minAvailable"));
        Assert.Matches($@"^challenge/{service}:\d+\.\d+\.\d+$", container.Scalar("image"));
    }

    [Theory]
    [InlineData(ServiceNames.CustomersApi)]
    [InlineData(ServiceNames.OrdersApi)]
    public void EachApiScalesOnCpuFromTwoInstances(string service)
    {
        var spec = Named("HorizontalPodAutoscaler", service).Map("spec");

        Assert.Equal(service, spec.Map("scaleTargetRef").Scalar("name"));
        Assert.Equal("2", spec.Scalar("minReplicas"));
        Assert.Equal("cpu", spec.Maps("metrics").Single().Map("resource").Scalar("name"));
    }

    [Theory]
    [InlineData(ServiceNames.OrdersApi)]
    [InlineData(ServiceNames.OrderEvents)]
    public void TheServicesThatReadWebhookSecretsShareTheKeyRingCertificate(string service) =>
        Assert.Equal("webhooks-key-ring-certificate", SecretKey(Environment(Container(Deployment(service)))["Webhooks__KeyRingCertificate"], "challenge-keys"));

    [Fact]
    public void TheMigratorJobReadsBothDatabasesFromTheSecretAndRunsAsTheImagesUser()
    {
        var job = Named("Job", "db-init");
        var container = Container(job);
        var environment = Environment(container);

        Assert.Matches(@"^challenge/db-init:\d+\.\d+\.\d+$", container.Scalar("image"));
        Assert.Equal(["ConnectionStrings__customersdb", "ConnectionStrings__ordersdb"], environment.Keys.Order());
        Assert.Equal("migrator-customersdb", SecretKey(environment["ConnectionStrings__customersdb"], "challenge-databases"));
        Assert.Equal("migrator-ordersdb", SecretKey(environment["ConnectionStrings__ordersdb"], "challenge-databases"));
        Assert.Equal("1654", job.Map("spec").Map("template").Map("spec").Map("securityContext").Scalar("runAsUser"));
    }

    [Theory]
    [InlineData(ServiceNames.CustomersApi)]
    [InlineData(ServiceNames.OrdersApi)]
    public void EachApiIsReachedOnlyThroughTheIngressAndTrustsItsForwardedAddress(string service)
    {
        var environment = Environment(Container(Deployment(service)));
        var policy = Named("NetworkPolicy", service).Map("spec");
        var from = policy.Maps("ingress").Single().Maps("from").ToList();

        Assert.Equal("true", environment["ASPNETCORE_FORWARDEDHEADERS_ENABLED"].Scalar("value"));
        Assert.Equal(service, policy.Map("podSelector").Map("matchLabels").Scalar("app.kubernetes.io/name"));
        Assert.Equal(["Ingress"], policy.Scalars("policyTypes"));
        Assert.Equal(2, from.Count);
        Assert.Equal("ingress-nginx", from[0].Map("namespaceSelector").Map("matchLabels").Scalar("kubernetes.io/metadata.name"));
        Assert.Equal("challenge", from[1].Map("podSelector").Map("matchLabels").Scalar("app.kubernetes.io/part-of"));
        Assert.Contains(Named("Ingress", "challenge-apis").Map("spec").Maps("rules").Single().Map("http").Maps("paths"),
            path => path.Map("backend").Map("service").Scalar("name") == service);
    }

    [Fact]
    public void TheConsoleSignsWithItsOwnKeyReadsItsSignInFromTheSecretAndIsReachedOnlyThroughItsIngress()
    {
        var deployment = Deployment(ServiceNames.OperatorConsole);
        var container = Container(deployment);
        var environment = Environment(container);
        var port = LaunchPort(ServiceNames.OperatorConsole);

        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"].Scalar("value"));
        Assert.Equal("operator-console-private-key", SecretKey(environment["Auth__SigningKey__PrivateKey"], "challenge-keys"));
        Assert.Equal("authority", SecretKey(environment["OpenIdConnect__Authority"], "challenge-console"));
        Assert.Equal("client-id", SecretKey(environment["OpenIdConnect__ClientId"], "challenge-console"));
        Assert.Equal("client-secret", SecretKey(environment["OpenIdConnect__ClientSecret"], "challenge-console"));
        Assert.DoesNotContain(environment.Keys, name => name.StartsWith("ConnectionStrings__", StringComparison.Ordinal));
        Assert.Equal(port, container.Maps("ports").Single().Scalar("containerPort"));
        Assert.Equal("true", container.Map("securityContext").Scalar("readOnlyRootFilesystem"));
        Assert.Equal("/keys", environment["DataProtection__KeysFolder"].Scalar("value"));
        Assert.Contains(container.Maps("volumeMounts"), mount => mount.Scalar("mountPath") == "/keys");
        Assert.Equal(ServiceNames.OperatorConsole, Named("Ingress", ServiceNames.OperatorConsole).Map("spec").Maps("rules").Single()
            .Map("http").Maps("paths").Single().Map("backend").Map("service").Scalar("name"));
        Assert.Single(Named("NetworkPolicy", ServiceNames.OperatorConsole).Map("spec").Maps("ingress").Single().Maps("from"));
    }

    [Fact]
    public void NoSecretIsWrittenInTheManifests()
    {
        Assert.DoesNotContain(objects, item => item.Scalar("kind") is "Secret" or "ConfigMap");
        foreach (var variable in objects.Where(item => item.Scalar("kind") is "Deployment" or "Job").SelectMany(item => Environment(Container(item)).Values))
        {
            var name = variable.Scalar("name");
            // A signer's name and the folder of the console's data protection keys are no secrets.
            if (name.Contains("Key", StringComparison.Ordinal) && !name.EndsWith("__Signer", StringComparison.Ordinal) && !name.EndsWith("__KeysFolder", StringComparison.Ordinal)
                || name.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            {
                Assert.False(variable.Children.ContainsKey("value"), $"{name} is written in a manifest; it belongs in a Secret.");
            }
        }
    }

    private static YamlMappingNode Kustomization() =>
        (YamlMappingNode)Load(Path.Combine(folder, "kustomization.yaml")).Single().RootNode;

    private static YamlMappingNode Deployment(string service) => Named("Deployment", service);

    private static YamlMappingNode Named(string kind, string name) =>
        objects.Single(item => item.Scalar("kind") == kind && item.Map("metadata").Scalar("name") == name);

    private static YamlMappingNode Container(YamlMappingNode workload) =>
        workload.Map("spec").Map("template").Map("spec").Maps("containers").Single();

    private static Dictionary<string, YamlMappingNode> Environment(YamlMappingNode container) =>
        container.Maps("env").ToDictionary(variable => variable.Scalar("name"));

    /// <summary>The key a variable reads from the named Secret (and fails if it reads anything else).</summary>
    private static string SecretKey(YamlMappingNode variable, string secret)
    {
        var reference = variable.Map("valueFrom").Map("secretKeyRef");
        Assert.Equal(secret, reference.Scalar("name"));
        return reference.Scalar("key");
    }

    /// <summary>The port the service listens on locally (its launch profile), which its image is built to listen on too.</summary>
    private static string LaunchPort(string service)
    {
        var project = service switch
        {
            ServiceNames.CustomersApi => "CustomersApi",
            ServiceNames.OrdersApi => "OrdersApi",
            ServiceNames.OrderEvents => "OrderEvents",
            ServiceNames.OperatorConsole => "OperatorConsole",
            _ => throw new ArgumentOutOfRangeException(nameof(service), service, null),
        };
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(SourceTree.Root, project, "Properties", "launchSettings.json")));
        var url = settings.RootElement.GetProperty("profiles").EnumerateObject().First().Value.GetProperty("applicationUrl").GetString()!;
        return new Uri(url).Port.ToString(CultureInfo.InvariantCulture);
    }

    private static List<YamlMappingNode> LoadObjects()
    {
        var rendered = Path.Combine(SourceTree.Root, "artifacts", "kubernetes", "rendered.yaml");
        if (!File.Exists(rendered))
        {
            throw new InvalidOperationException($"{rendered} is missing: scripts/render-kubernetes.sh renders it (./test.sh runs it).");
        }
        return Load(rendered).Select(document => (YamlMappingNode)document.RootNode).ToList();
    }

    private static YamlStream Load(string path)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        stream.Load(reader);
        return stream;
    }
}

internal static class YamlNodes
{
    public static YamlMappingNode Map(this YamlMappingNode node, string key) => (YamlMappingNode)node.Children[new YamlScalarNode(key)];

    public static IEnumerable<YamlMappingNode> Maps(this YamlMappingNode node, string key) =>
        ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Cast<YamlMappingNode>();

    public static IEnumerable<string> Scalars(this YamlMappingNode node, string key) =>
        ((YamlSequenceNode)node.Children[new YamlScalarNode(key)]).Cast<YamlScalarNode>().Select(item => item.Value!);

    public static string Scalar(this YamlMappingNode node, string key) => ((YamlScalarNode)node.Children[new YamlScalarNode(key)]).Value!;
}
