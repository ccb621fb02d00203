using Challenge.Identity;

namespace Challenge.StackHarness;

/// <summary>How the test host runs the AppHost's model.</summary>
public sealed record StackOptions
{
    /// <summary>The private keys of the AppHost's key holders (the operator, and each service that calls others); new ones when null.</summary>
    public IReadOnlyDictionary<string, SigningKey>? SigningKeys { get; init; }

    /// <summary>The AppHost's environment, which every service runs in (outside Development, tokens are required).</summary>
    public string Environment { get; init; } = "Testing";

    /// <summary>Extra configuration for every service (environment variables, e.g. <c>Logging__LogLevel__Default</c>).</summary>
    public IReadOnlyDictionary<string, string> ServiceConfiguration { get; init; } = new Dictionary<string, string>();

    /// <summary>Further instances of the AppHost's services, declared beside them and started by a test when it needs one.</summary>
    public IReadOnlyList<ServiceInstance> Instances { get; init; } = [];

    /// <summary>Where every service sends its telemetry (OTLP/gRPC), in place of the dashboard; none when null.</summary>
    public Uri? TelemetryEndpoint { get; init; }

    /// <summary>Puts DCP's proxy in front of every service (the AppHost declares them unproxied), to measure its cost.</summary>
    public bool ProxiedServices { get; init; }

    /// <summary>Where every resource's log lines go, each prefixed with the resource's name.</summary>
    public string? LogFile { get; init; }

    /// <summary>The database alone (its server, both databases, db-init), for services a test hosts in its own process.</summary>
    public bool DatabaseOnly { get; init; }

    /// <summary>
    /// The operator console too, as the AppHost declares it (with data protection keys of the run's own); left out
    /// otherwise, as only the browser tests need it.
    /// </summary>
    public bool WithConsole { get; init; }

    /// <summary>Instances of each service, behind DCP's proxies (the AppHost's <c>Replicas</c>, as <c>./run.sh --replicas N</c>).</summary>
    public int Replicas { get; init; } = 1;
}

/// <param name="Name">The instance's resource name.</param>
/// <param name="Of">The AppHost's service it is another instance of: the same project, references and configuration.</param>
/// <param name="Environment">Another ASPNETCORE_ENVIRONMENT, or the stack's when null.</param>
/// <param name="Configuration">Configuration that overrides the service's (environment variables).</param>
public sealed record ServiceInstance(string Name, string Of, string? Environment = null, IReadOnlyDictionary<string, string>? Configuration = null);
