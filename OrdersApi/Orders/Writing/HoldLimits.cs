namespace Challenge.OrdersApi.Orders.Writing;

/// <summary>How much one customer may hold unconfirmed: its open CREATED orders, and the units they reserve.</summary>
public readonly record struct HoldLimits(int OpenOrders, long ReservedUnits);
