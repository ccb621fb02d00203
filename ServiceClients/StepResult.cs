namespace Challenge.ServiceClients;

/// <summary>A call's outcome: a value (null for a 404 the caller asked to accept), or a failure.</summary>
public readonly record struct StepResult<T>(T? Value, StepFailure? Failure, bool Replayed = false);
