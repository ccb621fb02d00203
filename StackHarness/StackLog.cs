using Aspire.Hosting.ApplicationModel;

namespace Challenge.StackHarness;

/// <summary>Every resource's log lines, in one file, for the failure that needs them.</summary>
internal sealed class StackLog : IAsyncDisposable
{
    private readonly StreamWriter writer;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> watchers;

    public StackLog(string path, ResourceLoggerService logs, IEnumerable<IResource> resources)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        writer = new StreamWriter(path, append: false) { AutoFlush = true };
        watchers = resources.Where(r => r is not ParameterResource).Select(r => WatchAsync(logs, r.Name)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(watchers);
        await writer.DisposeAsync();
        stopping.Dispose();
    }

    private async Task WatchAsync(ResourceLoggerService logs, string resource)
    {
        try
        {
            await foreach (var batch in logs.WatchAsync(resource).WithCancellation(stopping.Token))
            {
                lock (writer)
                {
                    foreach (var line in batch)
                    {
                        writer.WriteLine($"[{resource}] {line.Content}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The stack is being disposed.
        }
    }
}
