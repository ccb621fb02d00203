using System.Globalization;

namespace Challenge.OperatorConsole.Components;

/// <summary>How the pages write money and time: cents as units with two decimals, times in UTC to the second.</summary>
public static class Format
{
    public static string Money(long cents) => (cents / 100m).ToString("#,##0.00", CultureInfo.InvariantCulture);

    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Time(DateTime? utc) => utc is { } time ? Time(time) : "";

    /// <summary>A query string of the values given (nulls left out), each escaped.</summary>
    public static string Query(params (string Name, object? Value)[] parameters) =>
        string.Join("&", parameters.Where(p => p.Value is not null and not "")
            .Select(p => $"{p.Name}={Uri.EscapeDataString(Convert.ToString(p.Value, CultureInfo.InvariantCulture)!)}"));
}
