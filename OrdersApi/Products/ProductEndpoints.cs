using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Challenge.OrdersApi.Products;

public static class ProductEndpoints
{
    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        // Everyone who may order reads products; only operators create or change them.
        var products = app.MapGroup("/products")
            .WithTags("Products")
            .RequirePublicAccess(AuthPolicies.Client)
            .WithRowVersions((Product product) => product.Version);
        products.MapPost("/", Create).WithSummary("Create a product").RequireAuthorization(AuthPolicies.Operator).ProducesProblem(StatusCodes.Status409Conflict);
        products.MapGet("/{id:long}", Get).WithSummary("Read a product").ProducesProblem(StatusCodes.Status404NotFound);
        products.MapPatch("/{id:long}", Update).WithSummary("Change a product's name, price or stock").RequireAuthorization(AuthPolicies.Operator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        products.MapGet("/", List).WithSummary("List products, optionally searched by name or sku");
        return app;
    }

    public static async Task<Results<Created<Product>, ValidationProblem, ProblemHttpResult>> Create(
        NewProduct request, ProductStore products, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        return await products.CreateAsync(request.Sku!, name, request.PriceCents!.Value, request.Stock!.Value, cancellationToken) is { } product
            ? TypedResults.Created($"/products/{product.Id}", product)
            : Problems.Conflict($"Another product already uses the sku '{request.Sku}'.");
    }

    /// <remarks>A client reads the catalogue's fields only: no stock, no version (<c>CatalogProduct</c>).</remarks>
    public static async Task<Results<Ok<Product>, Ok<CatalogProduct>, ProblemHttpResult>> Get(long id, ClaimsPrincipal user, ProductStore products,
        CancellationToken cancellationToken) => await products.FindAsync(id, cancellationToken) switch
        {
            null => NotFound(id),
            { } product when ForClient(user) => TypedResults.Ok(product.ForClients()),
            { } product => TypedResults.Ok(product),
        };

    /// <remarks>
    /// Sets the fields given: <c>stock</c> as the new count, or moves it by <c>stock_delta</c> (concurrent moves all
    /// count; one that would take it below zero, or above the limit, is a 409 that changes nothing). With
    /// <c>If-Match</c>, only while the product is still at a version named there (orders change it too).
    /// </remarks>
    public static async Task<Results<Ok<Product>, ValidationProblem, ProblemHttpResult>> Update(
        long id, ProductPatch patch, [FromHeader(Name = IfMatch.HeaderName)] string? ifMatch, ProductStore products, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = patch.Validate(errors);
        var precondition = IfMatch.Parse(ifMatch, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        return await products.ChangeAsync(id, name, patch, precondition, cancellationToken) switch
        {
            { Row: null } => NotFound(id),
            { Made: true, Row: { } product } => TypedResults.Ok(product),
            { Row: { } product } when !precondition.Allows(product.Version) => IfMatch.Failed($"Product {id}"),
            { Row: { } product } when patch.StockDelta is { } delta => Problems.Conflict(
                $"Moving the stock of product {id} by {delta:N0} would leave {product.Stock + delta:N0}; it must stay between 0 and {ProductRules.MaxStock:N0}. Nothing was changed."),
            // The version named in If-Match came only after the update looked.
            _ => IfMatch.Failed($"Product {id}"),
        };
    }

    /// <remarks>
    /// Products by ascending id, after <c>cursor</c>, optionally matching <c>search</c> in name or sku; a client's
    /// page holds the catalogue's fields only (<c>CatalogProduct</c>).
    /// </remarks>
    public static async Task<Results<Ok<Page<Product>>, Ok<Page<CatalogProduct>>, ValidationProblem>> List(
        [AsParameters] SearchQuery search, [AsParameters] PageQuery page, ClaimsPrincipal user, ProductStore products, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pattern = search.Validate(ProductStore.MaxSearchLength, errors);
        var request = page.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        var found = await products.PageAsync(pattern, request, cancellationToken);
        return ForClient(user) ? TypedResults.Ok(found.Select(product => product.ForClients())) : TypedResults.Ok(found);
    }

    /// <summary>Whether the caller acts for one customer (a client), who reads the catalogue and not the stock.</summary>
    private static bool ForClient(ClaimsPrincipal user) => CustomerScope.Of(user).CustomerId is not null;

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Product {id} does not exist.");
}
