using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Challenge.ApiConventions;

/// <summary>
/// Writes every timestamp as UTC ISO 8601 with exactly three fractional digits and 'Z'
/// (the default converter writes up to seven digits and drops trailing zeros).
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTime>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String &&
            DateTime.TryParse(reader.GetString(), CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }
        throw new JsonException("Expected an ISO 8601 timestamp.");
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
    {
        // The database hands back DATETIME(3) values that are UTC by contract, whatever their Kind says.
        var utc = value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;
        Span<byte> buffer = stackalloc byte[24];
        utc.TryFormat(buffer, out var written, Format, CultureInfo.InvariantCulture);
        writer.WriteStringValue(buffer[..written]);
    }
}
