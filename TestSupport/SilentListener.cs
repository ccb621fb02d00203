using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Challenge.TestSupport;

/// <summary>
/// A receiver that accepts every connection and never answers: the worst endpoint a subscription can name (its
/// attempts each wait out the dispatcher's attempt timeout).
/// </summary>
public sealed class SilentListener : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> held = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Task accepting;

    public SilentListener()
    {
        listener.Start(backlog: 1024);
        accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far (each one held open, unanswered).</summary>
    public int Connections => held.Count;

    public Uri Url(string path) => new($"http://127.0.0.1:{Port}/{path}");

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                held.Add(await listener.AcceptSocketAsync(stopping.Token));
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        await accepting;
        foreach (var socket in held)
        {
            socket.Dispose();
        }
        stopping.Dispose();
    }
}
