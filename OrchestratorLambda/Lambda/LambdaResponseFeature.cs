using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>
/// The response of one invocation, buffered whole (API Gateway takes it in one piece). It starts, and runs the
/// OnStarting callbacks that set late headers, at the first write or when the request ends.
/// </summary>
internal sealed class LambdaResponseFeature : IHttpResponseFeature, IHttpResponseBodyFeature, IDisposable
{
    private readonly MemoryStream buffer = new();
    private readonly List<(Func<object, Task> Callback, object State)> starting = [];
    private readonly List<(Func<object, Task> Callback, object State)> completed = [];

    public LambdaResponseFeature()
    {
        Stream = new StartingStream(this, buffer);
        Writer = PipeWriter.Create(Stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public int StatusCode { get; set; } = StatusCodes.Status200OK;

    public string? ReasonPhrase { get; set; }

    public IHeaderDictionary Headers { get; set; } = new HeaderDictionary();

    public Stream Body
    {
        get => Stream;
        set => Stream = value;
    }

    public bool HasStarted { get; private set; }

    public Stream Stream { get; private set; }

    public PipeWriter Writer { get; }

    public byte[] BodyBytes => buffer.ToArray();

    public void OnStarting(Func<object, Task> callback, object state) => starting.Insert(0, (callback, state));

    public void OnCompleted(Func<object, Task> callback, object state) => completed.Insert(0, (callback, state));

    public void DisableBuffering()
    {
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (HasStarted)
        {
            return;
        }
        HasStarted = true;
        foreach (var (callback, state) in starting)
        {
            await callback(state);
        }
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default)
    {
        await StartAsync(cancellationToken);
        await using var file = File.OpenRead(path);
        file.Seek(offset, SeekOrigin.Begin);
        var remaining = count ?? file.Length - offset;
        var chunk = new byte[81920];
        int read;
        while (remaining > 0 && (read = await file.ReadAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, remaining)), cancellationToken)) > 0)
        {
            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
            remaining -= read;
        }
    }

    public async Task CompleteAsync()
    {
        await StartAsync();
        await Writer.FlushAsync();
    }

    public async Task RunCompletedCallbacksAsync()
    {
        foreach (var (callback, state) in completed)
        {
            await callback(state);
        }
    }

    public void Dispose() => buffer.Dispose();

    /// <summary>Starts the response before the first byte is written, as a server does before it sends headers.</summary>
    private sealed class StartingStream(LambdaResponseFeature response, MemoryStream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            response.StartAsync().GetAwaiter().GetResult();
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await response.StartAsync(cancellationToken);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}
