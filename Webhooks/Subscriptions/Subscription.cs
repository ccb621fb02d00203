namespace Challenge.Webhooks.Subscriptions;

/// <summary>
/// A subscription as the API shows it: never its secret, which is shown once, when it is made or rotated; disabled since
/// a 410 Gone, paused until a time while its endpoint keeps failing, and signing with its previous secret too until the
/// end of a rotation's overlap.
/// </summary>
public sealed record Subscription(long Id, string Url, IReadOnlyList<string> Events, long? CustomerId, DateTime CreatedAt, DateTime? DisabledAt,
    DateTime? PausedUntil, DateTime? PreviousSecretExpiresAt);
