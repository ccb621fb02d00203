using System.Runtime.InteropServices;
using Challenge.DevHost;
using Challenge.ServiceDefaults.Auth;

const string usage = """
    usage: ./run.sh [run] [--fresh] [--environment NAME] [--database-server CONNECTION_STRING]
        Starts the database, applies db-init and starts every service on its default port; Ctrl-C stops it all.
        --fresh             wipe the local database first (secrets are kept)
        --environment       ASPNETCORE_ENVIRONMENT of the services (default Development: no operator token needed)
        --database-server   use an existing MySQL/MariaDB server instead of a private one
    """;

var root = DevStack.FindRepositoryRoot();
var dataDirectory = Path.Combine(root, ".data");

switch (args.FirstOrDefault())
{
    case "token":
        return TokenCommand.PrintToken(args[1..], dataDirectory);
    case "secret":
        return TokenCommand.PrintSecret();
    case "-h" or "--help" or "help":
        Console.WriteLine($"{usage}\n{TokenCommand.Usage}");
        return 0;
}

var options = new DevStackOptions { DataDirectory = dataDirectory, RepositoryRoot = root, DefaultPorts = true, Log = WriteLog };
foreach (var (flag, value) in Pairs(args.SkipWhile(a => a == "run").ToArray()))
{
    DevStackOptions? parsed = (flag, value) switch
    {
        ("--fresh", null) => options with { Fresh = true },
        ("--environment", { } name) => options with { Environment = name },
        ("--database-server", { } connectionString) => options with { DatabaseServer = connectionString },
        _ => null,
    };
    if (parsed is null)
    {
        Console.Error.WriteLine($"unexpected argument '{flag}'\n{usage}");
        return 2;
    }
    options = parsed;
}

using var stopping = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

DevStack stack;
try
{
    stack = await DevStack.StartAsync(options, stopping.Token);
}
catch (OperationCanceledException)
{
    return 0;
}
catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or FileNotFoundException)
{
    Console.Error.WriteLine($"devhost: {exception.Message}");
    return 1;
}

await using (stack)
{
    var token = stack.CreateToken(Roles.Operator, StackResources.CustomersApi, TimeSpan.FromHours(12));
    Console.WriteLine($"""

        The stack is up ({stack.Environment}); Ctrl-C stops it.
          database       {stack.Database.Endpoint} (user {DatabaseServer.UserName}, password in .data/secrets.json)
        {string.Join('\n', stack.ServiceNames.Select(name => $"  {name,-14} {stack.BaseAddress(name)}  (docs: {stack.BaseAddress(name)}api-docs)"))}

        Operator token for customers-api (12 h; ./run.sh token --role operator --audience <resource> for others):
          {token}
        Try:
          curl -s {stack.BaseAddress(StackResources.CustomersApi)}customers/1 -H "Authorization: Bearer {token}"

        """);
    try
    {
        await Task.Delay(Timeout.Infinite, stopping.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("Stopping...");
    }
}
Console.WriteLine("Stopped.");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stopping.Cancel();
}

static void WriteLog(string resource, string line)
{
    lock (Console.Out)
    {
        Console.Out.WriteLine($"[{resource}] {line}");
    }
}

static IEnumerable<(string Flag, string? Value)> Pairs(string[] arguments)
{
    for (var i = 0; i < arguments.Length; i++)
    {
        var takesValue = arguments[i] is "--environment" or "--database-server" && i + 1 < arguments.Length;
        yield return (arguments[i], takesValue ? arguments[++i] : null);
    }
}
