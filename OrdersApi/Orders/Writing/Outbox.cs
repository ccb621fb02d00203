using System.Text.Json;
using Challenge.Webhooks.Events;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>
/// The transactional outbox, as the order-writing path uses it: a change's events go into the order events' log
/// (<see cref="OrderEventLog"/>, whose statement it is) with the change's commit, in one statement however many, so that
/// no change lacks its event and no event lacks its change. The order is shown in each as the API shows it.
/// </summary>
public sealed class Outbox(IOptions<JsonOptions> json)
{
    public void Record(WriteTransaction transaction, Order order, DateTime occurredAt, params NewOrderEvent[] events)
    {
        var options = json.Value.SerializerOptions;
        var shown = JsonSerializer.SerializeToNode(order, options.GetTypeInfo(typeof(Order)))!.AsObject();
        var (sql, parameters) = OrderEventLog.Insert(order.Id, order.CustomerId, shown, occurredAt, events, options);
        transaction.AddToCommit(sql, parameters);
    }
}
