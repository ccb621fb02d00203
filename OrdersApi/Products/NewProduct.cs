namespace Challenge.OrdersApi.Products;

/// <summary>The body of <c>POST /products</c>.</summary>
public sealed record NewProduct(string? Sku, string? Name, long? PriceCents, long? Stock)
{
    public string Validate(ValidationErrors errors)
    {
        ProductRules.Sku(Sku, errors);
        var name = ProductRules.Name(Name, errors, required: true);
        ProductRules.Price(PriceCents, errors, required: true);
        ProductRules.Stock(Stock, errors, required: true);
        return name ?? "";
    }
}
