using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Challenge.IntegrationTests.Infrastructure;

/// <summary>One span as an OTLP exporter sent it.</summary>
public sealed record ReceivedSpan(string Service, string Scope, string TraceId, string Name);

/// <summary>
/// A small OTLP/gRPC receiver, standing where the dashboard would: it accepts every export (traces, metrics, logs),
/// answers as a collector does, and keeps the spans, read with just enough of protobuf's wire format.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const string TraceExport = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    private readonly ConcurrentQueue<ReceivedSpan> spans = new();
    private WebApplication? app;

    public Uri Endpoint { get; private set; } = null!;

    public IReadOnlyCollection<ReceivedSpan> Spans => spans;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        var builder = WebApplication.CreateSlimBuilder();
        // gRPC without TLS: HTTP/2 with prior knowledge, as the exporters speak it to an http:// endpoint.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/{**service}", receiver.ExportAsync);
        await app.StartAsync();
        receiver.app = app;
        receiver.Endpoint = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private async Task ExportAsync(HttpContext http)
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body);
        // A gRPC message: compressed flag (1 byte), length (4 bytes, big-endian), then the protobuf message.
        var message = body.ToArray().AsMemory(5);
        if (http.Request.Path == TraceExport)
        {
            foreach (var span in ReadTraces(message))
            {
                spans.Enqueue(span);
            }
        }
        http.Response.ContentType = "application/grpc";
        await http.Response.Body.WriteAsync(new byte[5]); // An empty Export...Response.
        http.Response.AppendTrailer("grpc-status", "0");
    }

    // ExportTraceServiceRequest { ResourceSpans resource_spans = 1; }
    // ResourceSpans { Resource resource = 1; ScopeSpans scope_spans = 2; }   Resource { KeyValue attributes = 1; }
    // ScopeSpans { InstrumentationScope scope = 1; Span spans = 2; }       InstrumentationScope { string name = 1; }
    // Span { bytes trace_id = 1; ...; string name = 5; }                    KeyValue { string key = 1; AnyValue value = 2; }
    private static IEnumerable<ReceivedSpan> ReadTraces(ReadOnlyMemory<byte> request)
    {
        foreach (var (_, resourceSpans) in Fields(request).Where(f => f.Number == 1))
        {
            var service = Fields(resourceSpans).Where(f => f.Number == 1).SelectMany(f => Fields(f.Value)).Where(f => f.Number == 1)
                .Select(attribute => Fields(attribute.Value).ToList())
                .Where(kv => kv.Any(f => f.Number == 1 && Text(f.Value) == "service.name"))
                .Select(kv => Text(Fields(kv.Single(f => f.Number == 2).Value).Single(f => f.Number == 1).Value))
                .SingleOrDefault() ?? "";
            foreach (var (_, scopeSpans) in Fields(resourceSpans).Where(f => f.Number == 2))
            {
                var scopeFields = Fields(scopeSpans).ToList();
                var scope = scopeFields.Where(f => f.Number == 1).SelectMany(f => Fields(f.Value)).Where(f => f.Number == 1).Select(f => Text(f.Value)).SingleOrDefault() ?? "";
                foreach (var (_, span) in scopeFields.Where(f => f.Number == 2))
                {
                    var spanFields = Fields(span).ToList();
                    yield return new ReceivedSpan(service, scope,
                        Convert.ToHexStringLower(spanFields.Single(f => f.Number == 1).Value.Span),
                        Text(spanFields.Single(f => f.Number == 5).Value));
                }
            }
        }
    }

    private static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    /// <summary>The length-delimited fields of a message (the only wire type read here); others are skipped.</summary>
    private static IEnumerable<(int Number, ReadOnlyMemory<byte> Value)> Fields(ReadOnlyMemory<byte> message)
    {
        var position = 0;
        while (position < message.Length)
        {
            var tag = ReadVarint(message.Span, ref position);
            var (number, wireType) = ((int)(tag >> 3), (int)(tag & 7));
            switch (wireType)
            {
                case 0: ReadVarint(message.Span, ref position); break;
                case 1: position += 8; break;
                case 5: position += 4; break;
                case 2:
                    var length = (int)ReadVarint(message.Span, ref position);
                    yield return (number, message.Slice(position, length));
                    position += length;
                    break;
                default: throw new InvalidDataException($"Unexpected protobuf wire type {wireType}.");
            }
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> bytes, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
