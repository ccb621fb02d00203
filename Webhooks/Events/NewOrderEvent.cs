namespace Challenge.Webhooks.Events;

/// <summary>One event of an order's change: its type, its place among the order's events (1 for its creation), and why, for a cancellation.</summary>
public readonly record struct NewOrderEvent(string Type, int Sequence, string? Reason = null);
