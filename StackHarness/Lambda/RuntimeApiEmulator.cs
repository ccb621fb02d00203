using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Challenge.StackHarness.Lambda;

/// <summary>What the function answered to one invocation: a response, or an error with its type.</summary>
public sealed record InvocationResult(bool IsError, string Body, string? ErrorType);

/// <summary>
/// An in-process stand-in for the AWS Lambda Runtime API (2018-06-01), to drive a real <c>bootstrap</c>: it queues
/// events, serves <c>next</c> with every <c>Lambda-Runtime-*</c> header, and records responses, errors and init errors.
/// </summary>
public sealed class RuntimeApiEmulator : IAsyncDisposable
{
    private const string Prefix = "/2018-06-01/runtime";

    /// <summary>Lambda's limit on a synchronous invocation's response, 6 MB, past which the Runtime API answers 413.</summary>
    public const int ResponseLimitBytes = 6 * 1024 * 1024;

    private readonly Channel<(string Id, string Payload)> queue = Channel.CreateUnbounded<(string, string)>();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResult>> pending = new();
    private readonly TaskCompletionSource<InvocationResult> initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource firstPoll = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>Completes when the function first asks for an invocation: its initialization is over.</summary>
    public Task FirstPoll => firstPoll.Task;

    public Task<InvocationResult> InitError => initError.Task;

    /// <summary>The largest response accepted; a test lowers it to have a response refused as one over 6 MB would be.</summary>
    public int MaxResponseBytes { get; set; } = ResponseLimitBytes;

    public static async Task<RuntimeApiEmulator> StartAsync()
    {
        var emulator = new RuntimeApiEmulator();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet($"{Prefix}/invocation/next", emulator.NextAsync);
        app.MapPost($"{Prefix}/invocation/{{id}}/response", emulator.RespondAsync);
        app.MapPost($"{Prefix}/invocation/{{id}}/error", (string id, HttpRequest request) => emulator.RecordAsync(id, request, isError: true));
        app.MapPost($"{Prefix}/init/error", async (HttpRequest request) =>
        {
            emulator.initError.TrySetResult(new(true, await new StreamReader(request.Body).ReadToEndAsync(), request.Headers["Lambda-Runtime-Function-Error-Type"]));
            return Results.Accepted();
        });
        await app.StartAsync();
        emulator.app = app;
        emulator.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()).Authority;
        return emulator;
    }

    /// <summary>Queues an event and waits for the function's answer.</summary>
    public Task<InvocationResult> InvokeAsync(string payload, TimeSpan timeout)
    {
        var id = Guid.NewGuid().ToString();
        var result = new TaskCompletionSource<InvocationResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = result;
        queue.Writer.TryWrite((id, payload));
        return result.Task.WaitAsync(timeout);
    }

    /// <summary>
    /// Goes away as the Runtime API does when the sandbox shuts down: the function's pending <c>next</c> is cut off and
    /// every later call is refused.
    /// </summary>
    public async Task StopAsync()
    {
        await stopping.CancelAsync();
        await app!.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
        stopping.Dispose();
    }

    private async Task NextAsync(HttpContext http)
    {
        firstPoll.TrySetResult();
        using var cutOff = stopping.Token.Register(http.Abort);
        var (id, payload) = await queue.Reader.ReadAsync(http.RequestAborted);
        http.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = id;
        http.Response.Headers["Lambda-Runtime-Deadline-Ms"] = DateTimeOffset.UtcNow.AddSeconds(15).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:orchestrator";
        http.Response.Headers["Lambda-Runtime-Trace-Id"] = $"Root=1-{Guid.NewGuid():N};Parent=0;Sampled=1";
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(payload);
    }

    /// <summary>Records a response, or refuses one over <see cref="MaxResponseBytes"/> with 413; the invocation then still waits for an error.</summary>
    private async Task<IResult> RespondAsync(string id, HttpRequest request)
    {
        if (request.ContentLength > MaxResponseBytes)
        {
            return Results.Json(new { errorMessage = $"Exceeded maximum allowed payload size ({MaxResponseBytes} bytes).", errorType = "RequestEntityTooLarge" },
                statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        return await RecordAsync(id, request, isError: false);
    }

    private async Task<IResult> RecordAsync(string id, HttpRequest request, bool isError)
    {
        var body = await new StreamReader(request.Body).ReadToEndAsync();
        if (!pending.TryRemove(id, out var result))
        {
            return Results.BadRequest();
        }
        result.TrySetResult(new(isError, body, isError ? request.Headers["Lambda-Runtime-Function-Error-Type"].ToString() : null));
        return Results.Accepted();
    }
}
