using System.Text.RegularExpressions;

namespace Challenge.OrdersApi.Products;

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
