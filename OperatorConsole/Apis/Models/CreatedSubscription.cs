namespace Challenge.OperatorConsole.Apis.Models;

/// <summary>A subscription just made, with its secret: shown this once.</summary>
public sealed record CreatedSubscription(long Id, string Url, string Secret);
