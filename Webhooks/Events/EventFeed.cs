using Challenge.Data;
using System.Globalization;
using System.Text.Json;
using Challenge.Identity;
using Dapper;

namespace Challenge.Webhooks.Events;

/// <summary>
/// The order events over their retention, oldest first, by the keyset of their ids: what a receiver that was down longer
/// than the retries reads to catch up. A client's feed holds its own customer's events only.
/// </summary>
public sealed class EventFeed(Database db)
{
    public async Task<Page<FeedEvent>> ListAsync(FeedQuery query, PageRequest page, CustomerScope scope, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT id, payload FROM order_events
            WHERE id > @After AND (@Type IS NULL OR type = @Type) AND (@OrderId IS NULL OR order_id = @OrderId) AND {CustomerScope.SqlFilter}
            ORDER BY id
            LIMIT @Take
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<(long Id, string Payload)>(new CommandDefinition(sql,
            new { query.After, query.Type, query.OrderId, tenant = scope.CustomerId, page.Take }, cancellationToken: cancellationToken))).AsList();
        return page.ToPage(rows, row => row.Id).Select(row => Read(row.Id, row.Payload));
    }

    private static FeedEvent Read(long id, string payload)
    {
        using var body = JsonDocument.Parse(payload);
        var root = body.RootElement;
        return new(EventIds.Of(id), root.GetProperty("type").GetString()!,
            DateTime.Parse(root.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
            root.GetProperty("data").Clone());
    }
}
