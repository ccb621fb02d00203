namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>
/// How an order is judged beyond its lines: against what its customer may hold unconfirmed (a client's own new order;
/// staff's orders and orders confirmed at once hold nothing unconfirmed against a cap), and whether a refusal for
/// short stock may say how much is left (to staff only: from "7 requested, 3 available" a client learns the stock).
/// </summary>
public sealed record OrderTerms(HoldLimits? Holds, bool ShowsStock)
{
    public static readonly OrderTerms Staff = new(null, ShowsStock: true);
}
