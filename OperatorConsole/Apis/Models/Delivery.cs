namespace Challenge.OperatorConsole.Apis.Models;

public sealed record Delivery(long Id, long EventId, string EventType, long OrderId, int Sequence, string Status, int Attempts, DateTime NextAttemptAt,
    int? LastStatusCode, string? LastError, DateTime CreatedAt, DateTime? DeliveredAt)
{
    public static readonly IReadOnlyList<string> Statuses = ["pending", "delivered", "failed"];
}
