using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Challenge.TestSupport;

/// <summary>
/// One request a receiver got: the Standard Webhooks headers, the body, and whether its first signature (the current
/// secret's) held for the secret the receiver knew.
/// </summary>
public sealed record ReceivedWebhook(string Id, long Timestamp, string Signature, string Body, bool SignatureValid, DateTimeOffset At)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Type => Json.GetProperty("type").GetString()!;

    public long OrderId => Json.GetProperty("data").GetProperty("id").GetInt64();

    public int Sequence => Json.GetProperty("data").GetProperty("sequence").GetInt32();

    /// <summary>The signatures of <c>webhook-signature</c>, the current secret's first.</summary>
    public IReadOnlyList<string> Signatures => Signature.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// Whether the signature at <paramref name="position"/> is <paramref name="secret"/>'s, by two implementations of
    /// Standard Webhooks that are not the dispatcher's: this file's own, written from the specification, and the
    /// StandardWebhooks package's. Where that package's <c>Verify</c> can judge it (the first signature, a timestamp
    /// within its five minutes of the real clock: a test's clock may be days ahead), it must accept it too.
    /// </summary>
    public bool SignedWith(string secret, int position = 0)
    {
        if (Signatures.Count <= position || secret.Length <= "whsec_".Length)
        {
            return false;
        }
        var own = $"v1,{Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(secret["whsec_".Length..]), Encoding.UTF8.GetBytes($"{Id}.{Timestamp}.{Body}")))}";
        var library = new StandardWebhooks.StandardWebhook(secret).Sign(Id, DateTimeOffset.FromUnixTimeSeconds(Timestamp), Body);
        if (Signatures[position] != own || Signatures[position] != library)
        {
            return false;
        }
        if (position == 0 && Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - Timestamp) < 240)
        {
            var headers = new HeaderDictionary { ["webhook-id"] = Id, ["webhook-timestamp"] = Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), ["webhook-signature"] = Signature };
            try
            {
                new StandardWebhooks.StandardWebhook(secret).Verify(Body, headers);
            }
            catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>
/// A webhook receiver of the test's own, on a real port: it records every request, checks each signature with
/// implementations of Standard Webhooks that are not the dispatcher's (<see cref="ReceivedWebhook.SignedWith"/>), and
/// answers as the test tells it (a status, after a pause, in words of the test's choosing).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedWebhook> received = new();
    private WebApplication? app;

    private WebhookReceiver(int port) => Port = port;

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port}/hooks");

    /// <summary>The secret to check signatures with: the subscription's, once it is made.</summary>
    public string? Secret { get; set; }

    /// <summary>The reason phrase of its answers (the status's own when null): a receiver's words, of any length.</summary>
    public string? Reason { get; set; }

    /// <summary>How the receiver answers the n-th request (0-based): a status, and how long it waits first. 200 at once by default.</summary>
    public Func<int, (HttpStatusCode Status, TimeSpan Pause)> Answer { get; set; } = _ => (HttpStatusCode.OK, TimeSpan.Zero);

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    /// <summary>The requests answered 2xx, in the order they were answered.</summary>
    public List<ReceivedWebhook> Accepted { get; } = [];

    public static async Task<WebhookReceiver> StartAsync(int port = 0)
    {
        var receiver = new WebhookReceiver(port == 0 ? FreePort() : port);
        await receiver.StartListeningAsync();
        return receiver;
    }

    /// <summary>A receiver that is not listening yet (its address refuses connections) until <see cref="StartListeningAsync"/>.</summary>
    public static WebhookReceiver Down() => new(FreePort());

    public async Task StartListeningAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        app = builder.Build();
        var count = 0;
        app.MapPost("/hooks", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync();
            var id = request.Headers["webhook-id"].ToString();
            var timestamp = long.TryParse(request.Headers["webhook-timestamp"], out var t) ? t : 0;
            var signature = request.Headers["webhook-signature"].ToString();
            var arrived = new ReceivedWebhook(id, timestamp, signature, body, SignatureValid: false, DateTimeOffset.UtcNow);
            var webhook = arrived with { SignatureValid = Secret is not null && arrived.SignedWith(Secret) };
            received.Enqueue(webhook);
            var (status, pause) = Answer(Interlocked.Increment(ref count) - 1);
            try
            {
                await Task.Delay(pause, request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty; // the sender gave up: nothing was accepted
            }
            if ((int)status is >= 200 and < 300)
            {
                lock (Accepted)
                {
                    Accepted.Add(webhook);
                }
            }
            request.HttpContext.Response.StatusCode = (int)status;
            if (Reason is { } reason)
            {
                request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()!.ReasonPhrase = reason;
            }
            return Results.Empty;
        });
        await app.StartAsync();
    }

    /// <summary>Waits until <paramref name="condition"/> holds of the requests answered 2xx (at most 30 s).</summary>
    public async Task<List<ReceivedWebhook>> WaitForAsync(Func<List<ReceivedWebhook>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            List<ReceivedWebhook> accepted;
            lock (Accepted)
            {
                accepted = [.. Accepted];
            }
            if (condition(accepted))
            {
                return accepted;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The receiver did not get {what} within 30 s; it has {accepted.Count}: {string.Join(", ", accepted.Select(a => a.Type))}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
