namespace Challenge.OperatorConsole.Apis.Models;

/// <param name="CustomerId">The customer it is for; null: every customer.</param>
public sealed record Subscription(long Id, string Url, IReadOnlyList<string> Events, long? CustomerId, DateTime CreatedAt, DateTime? DisabledAt,
    DateTime? PausedUntil, DateTime? PreviousSecretExpiresAt)
{
    public static readonly IReadOnlyList<string> EventTypes = ["order.created", "order.confirmed", "order.canceled"];
}
