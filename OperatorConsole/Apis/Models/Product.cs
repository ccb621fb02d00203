namespace Challenge.OperatorConsole.Apis.Models;

public sealed record Product(long Id, string Sku, string Name, long PriceCents, long Stock, DateTime CreatedAt, DateTime UpdatedAt);
