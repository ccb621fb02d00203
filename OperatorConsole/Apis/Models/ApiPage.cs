namespace Challenge.OperatorConsole.Apis.Models;

/// <summary>One page of a list and the cursor of the next (null on the last).</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Data, long? NextCursor);
