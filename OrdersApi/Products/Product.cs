using System.Text.Json.Serialization;

namespace Challenge.OrdersApi.Products;

/// <summary>A product as the API returns it; its version (which every stock movement changes too) travels as the ETag.</summary>
public sealed record Product(long Id, string Sku, string Name, long PriceCents, long Stock, DateTime CreatedAt, DateTime UpdatedAt,
    [property: JsonIgnore] long Version)
{
    /// <summary>What a client reads of it (<see cref="CatalogProduct"/>).</summary>
    public CatalogProduct ForClients() => new(Id, Sku, Name, PriceCents, CreatedAt, UpdatedAt);
}
