using System.Globalization;
using Microsoft.Extensions.Options;

namespace Challenge.OrdersApi.Orders;

/// <summary>
/// A client's new order (CREATED): the customer is checked over HTTP first (no transaction is ever open during an
/// HTTP call), then the order is written (<see cref="OrderWriter"/>) under its Idempotency-Key, if any.
/// </summary>
public sealed class OrderPlacement(CustomerLookup customers, IdempotencyStore keys, OrderWriter writer, ReplayableAnswers answers, IOptions<OrdersOptions> options)
{
    public const string Operation = "create";

    /// <param name="scope">Whose orders the caller may place: a client's own customer's, held to that customer's limits, or every customer's.</param>
    public async Task<OrderOutcome> PlaceAsync(long customerId, IReadOnlyList<OrderLine> lines, CustomerScope scope, string caller, string? key,
        CancellationToken cancellationToken)
    {
        var idempotent = key is null ? null : IdempotentRequest.Create(Operation, caller, key, Canonical(customerId, lines));
        var customer = await customers.GetAsync(customerId, cancellationToken);
        if (customer.Failure is { } refusal)
        {
            // A completed key still answers while the Customers API is down (or refuses): it is looked up only now,
            // so that the usual new order pays no read of its key before the check.
            return idempotent is not null && await keys.ReplayAsync(idempotent, cancellationToken) is { } replay ? replay : refusal.ToProblem();
        }
        var terms = scope.CustomerId is null ? OrderTerms.Staff : new OrderTerms(options.Value.LimitsOf(customer.Value!.Limits), ShowsStock: false);
        return await writer.PlaceAsync(customerId, lines, OrderStatus.Created, terms, idempotent,
            order => answers.Created(order, $"/orders/{order.Id}"), cancellationToken);
    }

    /// <summary>The request as the fingerprint sees it: the same order asked with lines in another order is the same request.</summary>
    public static string Canonical(long customerId, IReadOnlyList<OrderLine> lines) =>
        string.Create(CultureInfo.InvariantCulture, $"{customerId}:{string.Join(',', lines.Select(l => $"{l.ProductId}x{l.Qty}"))}");
}
