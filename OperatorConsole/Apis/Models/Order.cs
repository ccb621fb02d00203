namespace Challenge.OperatorConsole.Apis.Models;

public sealed record Order(long Id, long CustomerId, string Status, long TotalCents, IReadOnlyList<OrderLine> Items, DateTime CreatedAt,
    DateTime? ConfirmedAt, DateTime? CanceledAt)
{
    public const string Created = "CREATED";
    public const string Confirmed = "CONFIRMED";
    public const string Canceled = "CANCELED";

    public static readonly IReadOnlyList<string> Statuses = [Created, Confirmed, Canceled];
}
