using System.Globalization;

namespace Challenge.Webhooks.Events;

/// <summary>An event's public id, <c>evt_</c> and its number: its <c>webhook-id</c> on every attempt, and its <c>id</c> in the feed.</summary>
public static class EventIds
{
    private const string Prefix = "evt_";

    public static string Of(long id) => $"{Prefix}{id.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The number of an event id, written either way (<c>evt_42</c> or <c>42</c>).</summary>
    public static bool TryParse(string? value, out long id)
    {
        var number = value is not null && value.StartsWith(Prefix, StringComparison.Ordinal) ? value[Prefix.Length..] : value;
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }
}
