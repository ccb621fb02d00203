namespace Challenge.Webhooks.Events;

/// <summary>What the feed is asked for: events after one (by number), of one type, of one order.</summary>
public sealed record FeedQuery(long After, string? Type, long? OrderId);
