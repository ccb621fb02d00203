using System.Net.Sockets;
using MySqlConnector;

namespace Challenge.Data;

/// <summary>What a database that went away looks like to the driver (and what a busy pool looks like, which is not that).</summary>
public static class DatabaseOutage
{
    /// <summary>
    /// Whether the database, not the request, failed: it cannot be reached, or a pooled connection to it broke
    /// (the server stopped or restarted since it was last used: pooled connections are not pinged when taken).
    /// </summary>
    public static bool IsOutage(MySqlException exception) =>
        !IsPoolExhausted(exception)
        && (exception.IsTransient
            || exception.ErrorCode is MySqlErrorCode.UnableToConnectToHost or MySqlErrorCode.CommandTimeoutExpired
            || exception.InnerException is EndOfStreamException or IOException or SocketException);

    /// <summary>
    /// The same of any exception: on a pooled connection the server closed, the driver's first read can fail as a bare
    /// end of stream (beginning a transaction does), not wrapped in a <see cref="MySqlException"/>.
    /// </summary>
    public static bool IsOutage(Exception exception) => exception switch
    {
        MySqlException db => IsOutage(db),
        MySqlEndOfStreamException => true,
        _ => false,
    };

    /// <summary>
    /// Whether every pooled connection stayed in use while the request waited for one: the service is busy, the
    /// database is not down, and its pool must not be cleared. The driver says so only in its message.
    /// </summary>
    public static bool IsPoolExhausted(MySqlException exception) =>
        exception.ErrorCode == MySqlErrorCode.UnableToConnectToHost
        && exception.Message.EndsWith("All pooled connections are in use.", StringComparison.Ordinal);
}
