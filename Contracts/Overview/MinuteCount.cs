namespace Challenge.Contracts.Overview;

/// <param name="Minute">The minute's start (UTC).</param>
public sealed record MinuteCount(DateTime Minute, long Orders);
