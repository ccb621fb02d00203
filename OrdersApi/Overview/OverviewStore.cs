using Challenge.Contracts.Overview;
using Challenge.Webhooks.Deliveries;
using Dapper;

namespace Challenge.OrdersApi.Overview;

/// <summary>The overview's four counts, read in one round trip, each bounded by an index and a small limit.</summary>
public sealed class OverviewStore(Database db, TimeProvider time)
{
    /// <summary>The most products and subscriptions the overview lists; the pages of products and webhooks show the rest.</summary>
    public const int MaxListed = 10;

    private static readonly TimeSpan hour = TimeSpan.FromHours(1);

    public async Task<OperatorOverview> ReadAsync(long lowStock, CancellationToken cancellationToken)
    {
        const string sql = $"""
            SELECT status, COUNT(*) AS count FROM orders WHERE created_at >= @today GROUP BY status;
            SELECT TIMESTAMPDIFF(MINUTE, @firstMinute, created_at) AS minute, COUNT(*) AS count
              FROM orders WHERE created_at >= @firstMinute GROUP BY minute;
            SELECT id, sku, name, stock FROM products WHERE stock <= @lowStock ORDER BY stock, id DESC LIMIT @max;
            SELECT d.subscription_id AS SubscriptionId, s.customer_id AS CustomerId, s.url, COUNT(*) AS Failed
              FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
              WHERE d.status = '{DeliveryStatus.Failed}'
              GROUP BY d.subscription_id, s.customer_id, s.url ORDER BY Failed DESC, d.subscription_id LIMIT @max;
            """;
        var now = time.GetUtcNow().UtcDateTime;
        var today = now.Date;
        var firstMinute = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc) - hour + TimeSpan.FromMinutes(1);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { today, firstMinute, lowStock, max = MaxListed }, cancellationToken: cancellationToken));
        var byStatus = (await results.ReadAsync<(string Status, long Count)>()).ToDictionary(r => r.Status, r => r.Count);
        var byMinute = (await results.ReadAsync<(long Minute, long Count)>()).ToDictionary(r => r.Minute, r => r.Count);
        var low = (await results.ReadAsync<LowStockProduct>()).AsList();
        var failed = (await results.ReadAsync<FailedDeliveries>()).AsList();
        return new(today,
            OrderStatus.All.ToDictionary(status => status, status => byStatus.GetValueOrDefault(status)),
            [.. Enumerable.Range(0, 60).Select(i => new MinuteCount(firstMinute.AddMinutes(i), byMinute.GetValueOrDefault(i)))],
            low, failed);
    }
}
