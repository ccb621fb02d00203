using Challenge.StackHarness;
using Challenge.TestSupport;
using Microsoft.Playwright;

namespace Challenge.ConsoleTests.Infrastructure;

/// <summary>
/// The AppHost's stack with its operator console, in Development (the console acts as the local operator), and a second
/// console in Production that signs people in at <see cref="OpenIdProvider"/>; and one headless Chromium for every test.
/// </summary>
public sealed class ConsoleFixture : IAsyncLifetime, ITestServices
{
    /// <summary>The console in Production, signing people in with OpenID Connect.</summary>
    public const string SigningInConsole = "operator-console-signin";

    private const string ClientId = "operator-console";
    private static readonly SocketsHttpHandler handler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
    private readonly string clientSecret = Unique.Token();
    private OpenIdProvider? provider;
    private RunningStack? stack;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public RunningStack Stack => stack ?? throw new InvalidOperationException("The stack is not started.");

    public IBrowser Browser => browser ?? throw new InvalidOperationException("The browser is not started.");

    public string Environment => Stack.Environment;

    public IReadOnlyDictionary<string, Challenge.Identity.SigningKey> SigningKeys => Stack.SigningKeys;

    /// <summary>The console of the Development stack.</summary>
    public Uri Console => Stack.BaseAddress(RunningStack.OperatorConsole);

    /// <summary>The console that signs people in (Production).</summary>
    public Uri SignInConsole { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        provider = await OpenIdProvider.StartAsync(ClientId, clientSecret);
        stack = await RunningStack.StartAsync(new StackOptions
        {
            Environment = "Development",
            WithConsole = true,
            // Two instances of the console (and of each service) behind Aspire's proxy, as ./run.sh --replicas 2: a
            // person's pages work whichever instance each connection reaches.
            Replicas = 2,
            LogFile = Path.Combine(SourceTree.Root, "artifacts", "test-logs", "console-stack.log"),
            ServiceConfiguration = new Dictionary<string, string>
            {
                // One browser is every operator here: the limits per caller are proved in the API tier.
                ["RateLimits__ReadsPerSecond"] = "100000",
                ["RateLimits__WritesPerSecond"] = "100000",
            },
            Instances =
            [
                new(SigningInConsole, RunningStack.OperatorConsole, "Production", new Dictionary<string, string>
                {
                    ["OpenIdConnect__Authority"] = provider.Authority.ToString(),
                    ["OpenIdConnect__ClientId"] = ClientId,
                    ["OpenIdConnect__ClientSecret"] = clientSecret,
                    // The test's provider listens on this machine, over HTTP.
                    ["OpenIdConnect__RequireHttpsMetadata"] = "false",
                }),
            ],
        });
        SignInConsole = await Stack.StartInstanceAsync(SigningInConsole);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath(),
            Headless = true,
            // --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
            Args = ["--disable-gpu", "--no-sandbox"],
        });
    }

    /// <summary>Debian's Chromium (scripts/prerequisites.sh installs it); Playwright's own download is not reachable here.</summary>
    private static string ChromiumPath() =>
        System.Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path
        : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
        : throw new InvalidOperationException("Chromium is not installed: run scripts/prerequisites.sh (apt-get install chromium), or set CHROMIUM_PATH.");

    /// <summary>A page of a fresh browser context (its own cookies), at <paramref name="baseAddress"/> (the Development console by default).</summary>
    public async Task<IPage> NewPageAsync(Uri? baseAddress = null)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = (baseAddress ?? Console).ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
        if (stack is not null)
        {
            await stack.DisposeAsync();
        }
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }
    }

    public HttpClient Client(string resource, string? token = null) => TestServices.Client(handler, Stack.BaseAddress(resource), token);

    public Task<string> ConnectionStringAsync(string database) => Stack.ConnectionStringAsync(database);
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
