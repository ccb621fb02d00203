using System.Text.Json;

namespace Challenge.OperatorConsole.Apis.Models;

/// <summary>An event of the feed: its id (the <c>webhook-id</c> of its deliveries), type, time, and body (which holds its <c>sequence</c>).</summary>
public sealed record OrderEvent(string Id, string Type, DateTime Timestamp, JsonElement Data)
{
    public int? Sequence => Data.TryGetProperty("sequence", out var sequence) && sequence.TryGetInt32(out var value) ? value : null;
}
