using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Challenge.Webhooks.Events;

/// <summary>
/// The order events' log, <c>order_events</c>: the transactional outbox the dispatcher drains and the feed lists. An
/// event is written by the statement this class makes, which the change's transaction runs with its commit, so that no
/// change lacks its event and no event lacks its change. Each keeps its webhook body as it will be sent, and the
/// change's trace, which its deliveries join.
/// </summary>
public static class OrderEventLog
{
    /// <summary>
    /// The statement that records <paramref name="events"/> of one order (one statement, however many), and its
    /// parameters. The body of each is <c>{"type", "timestamp", "data"}</c>: <paramref name="order"/> as the API shows
    /// it, with the event's <c>sequence</c> and, for a cancellation, its <c>reason</c>.
    /// </summary>
    public static (string Sql, (string Name, object? Value)[] Parameters) Insert(long orderId, long customerId, JsonObject order, DateTime occurredAt,
        IReadOnlyList<NewOrderEvent> events, JsonSerializerOptions json)
    {
        var sql = new StringBuilder("INSERT INTO order_events (order_id, customer_id, type, sequence, payload, occurred_at, traceparent) VALUES ");
        var parameters = new List<(string, object?)> { ("@order", orderId), ("@customer", customerId), ("@at", occurredAt), ("@trace", Activity.Current?.Id) };
        for (var i = 0; i < events.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@order, @customer, @type{i}, @sequence{i}, @payload{i}, @at, @trace)");
            parameters.Add(($"@type{i}", events[i].Type));
            parameters.Add(($"@sequence{i}", events[i].Sequence));
            parameters.Add(($"@payload{i}", Body(events[i], order, occurredAt, json)));
        }
        return (sql.ToString(), [.. parameters]);
    }

    private static string Body(NewOrderEvent change, JsonObject order, DateTime occurredAt, JsonSerializerOptions json)
    {
        var data = (JsonObject)order.DeepClone();
        data["sequence"] = change.Sequence;
        if (change.Reason is not null)
        {
            data["reason"] = change.Reason;
        }
        return new JsonObject
        {
            ["type"] = change.Type,
            ["timestamp"] = JsonSerializer.SerializeToNode(occurredAt, json.GetTypeInfo(typeof(DateTime))),
            ["data"] = data,
        }.ToJsonString();
    }
}
