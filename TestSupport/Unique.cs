namespace Challenge.TestSupport;

/// <summary>Names no other test uses, so every test owns its data and none depends on another's leftovers.</summary>
public static class Unique
{
    public static string Token() => Guid.NewGuid().ToString("N")[..12];

    public static string Email(string prefix = "user") => $"{prefix}.{Token()}@example.com";
}
