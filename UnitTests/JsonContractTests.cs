using System.Text.Json;
using Challenge.ApiConventions;

namespace Challenge.UnitTests;

public sealed class JsonContractTests
{
    private static readonly JsonSerializerOptions options = ApiJson.CreateOptions();

    private sealed record Sample(long CustomerId, DateTime CreatedAt, DateTime? ConfirmedAt);

    [Fact]
    public void NamesAreSnakeCaseAndTimestampsHaveExactlyThreeFractionalDigits()
    {
        var sample = new Sample(7, new DateTime(2026, 11, 24, 8, 0, 0, 120, DateTimeKind.Utc), null);

        var json = JsonSerializer.Serialize(sample, options);

        Assert.Equal("""{"customer_id":7,"created_at":"2026-11-24T08:00:00.120Z","confirmed_at":null}""", json);
    }

    [Fact]
    public void ATimestampWithoutKindIsWrittenAsTheUtcValueTheDatabaseHolds()
    {
        var json = JsonSerializer.Serialize(new DateTime(2026, 1, 2, 3, 4, 5, 6, DateTimeKind.Unspecified), options);

        Assert.Equal("\"2026-01-02T03:04:05.006Z\"", json);
    }

    [Fact]
    public void ANumberSentAsAStringIsRefused() =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Sample>("""{"customer_id":"7"}""", options));

    [Fact]
    public void TimestampsWithAnOffsetAreReadAsUtc()
    {
        var sample = JsonSerializer.Deserialize<Sample>("""{"customer_id":1,"created_at":"2026-11-24T10:00:00+02:00"}""", options)!;

        Assert.Equal(new DateTime(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc), sample.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, sample.CreatedAt.Kind);
    }
}
