namespace Challenge.IntegrationTests.Infrastructure;

/// <summary>
/// What the end-to-end tests need of a running stack, whoever runs it: the DevHost (default) or Aspire's
/// testing builder. Resource names are the AppHost's (<c>customers-api</c>, <c>orders-api</c>, <c>mysql</c>...).
/// </summary>
public interface IRunningStack : IAsyncDisposable
{
    /// <summary>
    /// Whether the host can freeze a service and start extra instances of one (the DevHost can; Aspire cannot).
    /// Tests that need it are skipped where it is missing.
    /// </summary>
    bool ControlsProcesses { get; }

    /// <summary>ASPNETCORE_ENVIRONMENT of the services (outside Development, public endpoints need a token).</summary>
    string Environment { get; }

    Uri BaseAddress(string resource);

    /// <summary>The configuration a service runs with (connection strings, service addresses, keys).</summary>
    IReadOnlyDictionary<string, string> EnvironmentOf(string resource);

    /// <summary>A token signed with the stack's current key.</summary>
    string CreateToken(string role, string audience, TimeSpan? expiresIn = null, TimeSpan? notBefore = null, string? issuer = null);

    /// <summary>The current signing key's id and secret, so tests can prove what happens with other keys.</summary>
    (string Id, string Secret) SigningKey { get; }

    Task StopAsync(string resource);

    Task KillAsync(string resource);

    Task StartAsync(string resource);

    /// <summary>Makes a service stop answering (its connections hang) until <see cref="Thaw"/>.</summary>
    void Freeze(string resource);

    void Thaw(string resource);

    /// <summary>Another instance of <paramref name="resource"/> with other settings (a rotated key, another environment).</summary>
    Task<Uri> StartInstanceAsync(string resource, string instanceName, string? environment, IReadOnlyDictionary<string, string> configuration);
}
