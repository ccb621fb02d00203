namespace Challenge.Data;

/// <summary>The <c>Database</c> configuration section of a service that holds a connection pool.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>
    /// Connections one instance may hold, whatever load comes (beyond it, requests wait for a pooled connection): the
    /// sum over every instance of every service must stay under the server's <c>max_connections</c>.
    /// </summary>
    public int MaxPoolSize { get; set; } = 60;
}
