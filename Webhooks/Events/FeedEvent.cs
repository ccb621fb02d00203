using System.Text.Json;

namespace Challenge.Webhooks.Events;

/// <summary>An event as the feed lists it: its webhook body (<c>type</c>, <c>timestamp</c>, <c>data</c>) and its id, the <c>webhook-id</c> of its deliveries.</summary>
public sealed record FeedEvent(string Id, string Type, DateTime Timestamp, JsonElement Data);
