namespace Challenge.OrdersApi.Products;

/// <summary>
/// A product as a client reads it: the catalogue, without the stock and without a version. How many are left, and
/// how that moves (every order of every customer changes the version), is the business's to know: a client's order
/// that is short names the product and no quantities, and reading the product must not tell what the refusal hides.
/// </summary>
public sealed record CatalogProduct(long Id, string Sku, string Name, long PriceCents, DateTime CreatedAt, DateTime UpdatedAt);
