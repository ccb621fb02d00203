using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Challenge.ApiTests.Infrastructure;

/// <summary>One of the product's services, hosted in the test's process: its own Program, its own configuration.</summary>
public interface IServiceHost
{
    IServiceProvider Services { get; }

    /// <summary>A client with the given bearer token, or none.</summary>
    HttpClient Client(string? token = null);

    /// <summary>What another service's HttpClient sends its calls through to reach this one.</summary>
    HttpMessageHandler Handler();
}

/// <param name="settings">Configuration, as the AppHost would give it (connection strings, keys, addresses, overrides).</param>
/// <param name="services">Services replaced for the test (the clients of other services, a fake clock).</param>
internal sealed class ServiceHost<TEntryPoint>(string environment, IReadOnlyDictionary<string, string> settings, Action<IServiceCollection> services)
    : WebApplicationFactory<TEntryPoint>, IServiceHost where TEntryPoint : class
{
    private static readonly Uri baseAddress = new("http://localhost");

    public HttpClient Client(string? token = null) => TestSupport.TestServices.Client(Server.CreateHandler(), baseAddress, token);

    public HttpMessageHandler Handler() => Server.CreateHandler();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services);
    }
}
