using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Challenge.OrdersApi.Products;

/// <summary>A product as the API returns it; its version (which every stock movement changes too) travels as the ETag.</summary>
public sealed record Product(long Id, string Sku, string Name, long PriceCents, long Stock, DateTime CreatedAt, DateTime UpdatedAt,
    [property: JsonIgnore] long Version);

public static partial class ProductRules
{
    public const int MaxNameLength = 200;
    public const long MaxPriceCents = 100_000_000_000;
    public const long MaxStock = 1_000_000_000;

    public static string? Name(string? value, ValidationErrors errors, bool required)
    {
        var name = UserText.Read(value, "name", errors);
        if (name is null && !required)
        {
            return null;
        }
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            errors.Add("name", $"name is required: 1 to {MaxNameLength} characters.");
        }
        return name;
    }

    public static void Price(long? value, ValidationErrors errors, bool required)
    {
        if ((value is null && required) || value is < 1 or > MaxPriceCents)
        {
            errors.Add("price_cents", $"price_cents is required: a whole number of cents from 1 to {MaxPriceCents:N0}.");
        }
    }

    public static void Stock(long? value, ValidationErrors errors, bool required)
    {
        if ((value is null && required) || value is < 0 or > MaxStock)
        {
            errors.Add("stock", $"stock is required: a whole number from 0 to {MaxStock:N0}.");
        }
    }

    public static void Sku(string? value, ValidationErrors errors)
    {
        if (value is null || !SkuPattern().IsMatch(value))
        {
            errors.Add("sku", "sku is required: 1 to 64 letters, digits, '-', '_' or '.'.");
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex SkuPattern();
}

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
