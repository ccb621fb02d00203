using Microsoft.Extensions.Logging;

namespace Challenge.StackHarness;

/// <summary>
/// Every resource's log lines in one file, for the failure that needs them. The testing builder forwards each
/// resource's console to a logger named <c>{AppHost}.Resources.{resource}</c>; this provider keeps those.
/// </summary>
internal sealed class StackLog(string path) : ILoggerProvider
{
    private const string ResourcesCategory = ".Resources.";

    private readonly StreamWriter writer = Open(path);

    public ILogger CreateLogger(string categoryName)
    {
        var at = categoryName.IndexOf(ResourcesCategory, StringComparison.Ordinal);
        return at < 0 ? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance : new ResourceLog(this, categoryName[(at + ResourcesCategory.Length)..]);
    }

    public void Dispose() => writer.Dispose();

    private void Write(string resource, string line)
    {
        lock (writer)
        {
            writer.WriteLine($"[{resource}] {line}");
        }
    }

    private static StreamWriter Open(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new StreamWriter(path, append: false) { AutoFlush = true };
    }

    private sealed class ResourceLog(StackLog log, string resource) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log.Write(resource, formatter(state, exception));
    }
}
