using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Challenge.Bench;

/// <summary>
/// A webhook receiver on a local port that answers 200 at once and keeps, for every event, when it arrived and when its
/// change was committed (the body's timestamp): the delay from commit to delivery.
/// </summary>
public sealed class EventReceiver : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (DateTimeOffset Occurred, DateTimeOffset Arrived)> events = new();
    private WebApplication app = null!;

    public Uri Url { get; private set; } = null!;

    public int Count => events.Count;

    /// <summary>When the last event arrived.</summary>
    public DateTimeOffset LastArrival => events.Values.Select(e => e.Arrived).DefaultIfEmpty().Max();

    public static async Task<EventReceiver> StartAsync()
    {
        var receiver = new EventReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        receiver.app = builder.Build();
        receiver.app.MapPost("/hooks", async (HttpRequest request) =>
        {
            var arrived = DateTimeOffset.UtcNow;
            using var body = await JsonDocument.ParseAsync(request.Body);
            var occurred = DateTimeOffset.Parse(body.RootElement.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture);
            receiver.events.TryAdd(request.Headers["webhook-id"].ToString(), (occurred, arrived));
            return Results.Ok();
        });
        await receiver.app.StartAsync();
        receiver.Url = new Uri(new Uri(receiver.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()), "/hooks");
        return receiver;
    }

    /// <summary>Events whose change was committed within [<paramref name="from"/>, <paramref name="to"/>): how many, and their delays in ms.</summary>
    public (int Count, double[] DelaysMs) Window(DateTimeOffset from, DateTimeOffset to)
    {
        var delays = events.Values.Where(e => e.Occurred >= from && e.Occurred < to)
            .Select(e => (e.Arrived - e.Occurred).TotalMilliseconds).Order().ToArray();
        return (delays.Length, delays);
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}
