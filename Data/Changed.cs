namespace Challenge.Data;

/// <summary>Whether a guarded change was made, and the row as it now is (null: there is no such row, or none the caller may see).</summary>
public readonly record struct Changed<T>(bool Made, T? Row);
