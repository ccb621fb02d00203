namespace Challenge.OrdersApi.Products;

/// <summary>
/// The body of <c>PATCH /products/{id}</c>: the fields present are set. <c>stock</c> is a new absolute count (safe
/// with <c>If-Match</c> only: orders move stock too); <c>stock_delta</c> moves it by a signed amount, atomically, so
/// that a restock never overwrites what orders took meanwhile.
/// </summary>
public sealed record ProductPatch(string? Name, long? PriceCents, long? Stock, long? StockDelta)
{
    public string? Validate(ValidationErrors errors)
    {
        if (Name is null && PriceCents is null && Stock is null && StockDelta is null)
        {
            errors.Add("body", "Give at least one of name, price_cents, stock and stock_delta.");
            return null;
        }
        var name = ProductRules.Name(Name, errors, required: false);
        ProductRules.Price(PriceCents, errors, required: false);
        ProductRules.Stock(Stock, errors, required: false);
        if (Stock is not null && StockDelta is not null)
        {
            errors.Add("stock_delta", "Give stock (a new count) or stock_delta (a move), not both.");
        }
        else if (StockDelta is 0 or < -ProductRules.MaxStock or > ProductRules.MaxStock)
        {
            errors.Add("stock_delta", $"stock_delta must be a non-zero whole number from {-ProductRules.MaxStock:N0} to {ProductRules.MaxStock:N0}.");
        }
        return name;
    }
}
