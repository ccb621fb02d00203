using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Challenge.OrdersApi.Data;

namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>
/// The transactional outbox: an order's events, written by the transaction that changes the order, with its commit
/// (one statement, however many events), so that no change lacks its event and no event lacks its change. The event
/// keeps its webhook body as it will be sent (<c>{"type", "timestamp", "data"}</c>, the data being the order as the
/// change left it, with the reason of a cancellation) and the change's trace, which its deliveries join.
/// </summary>
public sealed class Outbox(IOptions<JsonOptions> json)
{
    public void Record(WriteTransaction transaction, Order order, DateTime occurredAt, params (string Type, string? Reason)[] events)
    {
        var sql = new StringBuilder("INSERT INTO order_events (order_id, customer_id, type, payload, occurred_at, traceparent) VALUES ");
        var parameters = new List<(string, object?)> { ("@order", order.Id), ("@customer", order.CustomerId), ("@at", occurredAt), ("@trace", Activity.Current?.Id) };
        for (var i = 0; i < events.Length; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append(CultureInfo.InvariantCulture, $"(@order, @customer, @type{i}, @payload{i}, @at, @trace)");
            parameters.Add(($"@type{i}", events[i].Type));
            parameters.Add(($"@payload{i}", Payload(events[i].Type, events[i].Reason, order, occurredAt)));
        }
        transaction.AddToCommit(sql.ToString(), [.. parameters]);
    }

    private string Payload(string type, string? reason, Order order, DateTime occurredAt)
    {
        var options = json.Value.SerializerOptions;
        var data = JsonSerializer.SerializeToNode(order, options.GetTypeInfo(typeof(Order)))!.AsObject();
        if (reason is not null)
        {
            data["reason"] = reason;
        }
        var body = new JsonObject
        {
            ["type"] = type,
            ["timestamp"] = JsonSerializer.SerializeToNode(occurredAt, options.GetTypeInfo(typeof(DateTime))),
            ["data"] = data,
        };
        return body.ToJsonString();
    }
}
