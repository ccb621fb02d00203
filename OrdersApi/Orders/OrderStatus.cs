namespace Challenge.OrdersApi.Orders;

public static class OrderStatus
{
    public const string Created = "CREATED";
    public const string Confirmed = "CONFIRMED";
    public const string Canceled = "CANCELED";

    public static readonly IReadOnlyList<string> All = [Created, Confirmed, Canceled];
}
