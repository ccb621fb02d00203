namespace Challenge.OperatorConsole.Apis.Models;

/// <summary>A subscription's new secret, shown this once; the previous one signs beside it until <see cref="PreviousSecretExpiresAt"/>.</summary>
public sealed record RotatedSecret(string Secret, DateTime PreviousSecretExpiresAt);
