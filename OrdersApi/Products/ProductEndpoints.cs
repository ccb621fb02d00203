using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Limits;
using Challenge.ServiceDefaults.Paging;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MySqlConnector;

namespace Challenge.OrdersApi.Products;

public static class ProductEndpoints
{
    private const int MaxSearchLength = 200;

    private const string SelectColumns = """
        SELECT id, sku, name, price_cents AS PriceCents, stock, created_at AS CreatedAt, updated_at AS UpdatedAt, version
        FROM products
        """;

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        // Everyone who may order reads products; only operators create or change them.
        var products = app.MapGroup("/products")
            .WithTags("Products")
            .RequirePublicAccess(AuthPolicies.Client)
            .WithRowVersions();
        products.MapPost("/", Create).RequireAuthorization(AuthPolicies.Operator).ProducesProblem(StatusCodes.Status409Conflict);
        products.MapGet("/{id:long}", Get).ProducesProblem(StatusCodes.Status404NotFound);
        products.MapPatch("/{id:long}", Update).RequireAuthorization(AuthPolicies.Operator)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        products.MapGet("/", List);
        return app;
    }

    public static async Task<Results<Created<Product>, ValidationProblem, ProblemHttpResult>> Create(
        NewProduct request, Database db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        const string sql = """
            INSERT INTO products (sku, name, price_cents, stock, created_at, updated_at)
            VALUES (@Sku, @name, @PriceCents, @Stock, @now, @now);
            SELECT LAST_INSERT_ID();
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                sql, new { request.Sku, name, request.PriceCents, request.Stock, now }, cancellationToken: cancellationToken));
            var product = new Product(id, request.Sku!, name, request.PriceCents!.Value, request.Stock!.Value, now, now, Version: 1);
            return TypedResults.Created($"/products/{id}", product);
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return Problems.Conflict($"Another product already uses the sku '{request.Sku}'.");
        }
    }

    public static async Task<Results<Ok<Product>, ProblemHttpResult>> Get(long id, Database db, CancellationToken cancellationToken)
    {
        const string sql = $"{SelectColumns} WHERE id = @id";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var product = await connection.QuerySingleOrDefaultAsync<Product>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return product is null ? NotFound(id) : TypedResults.Ok(product);
    }

    /// <summary>
    /// Sets the fields given: <c>stock</c> as the new count, or moves it by <c>stock_delta</c> (concurrent moves all
    /// count; one that would take it below zero, or above the limit, is a 409 that changes nothing). With
    /// <c>If-Match</c>, only while the product is still at a version named there (orders change it too).
    /// </summary>
    public static async Task<Results<Ok<Product>, ValidationProblem, ProblemHttpResult>> Update(
        long id, ProductPatch patch, [FromHeader(Name = IfMatch.HeaderName)] string? ifMatch, Database db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = patch.Validate(errors);
        var precondition = IfMatch.Parse(ifMatch, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        // One round trip: the update, guarded by the precondition and the stock's bounds in its own WHERE (judged under
        // the row's lock, so that concurrent moves all count and none takes the stock out of bounds), whether it
        // matched, and the row as it now is.
        const string sql = $"""
            UPDATE products
            SET name = COALESCE(@name, name),
                price_cents = COALESCE(@PriceCents, price_cents),
                stock = COALESCE(@Stock, stock + COALESCE(@StockDelta, 0)),
                updated_at = @now,
                version = version + 1
            WHERE id = @id
              AND {IfMatch.Condition}
              AND (@StockDelta IS NULL OR stock + @StockDelta BETWEEN 0 AND @MaxStock);
            SELECT ROW_COUNT();
            {SelectColumns} WHERE id = @id;
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql, new
        {
            id, name, patch.PriceCents, patch.Stock, patch.StockDelta, ProductRules.MaxStock, now = time.UtcNowMilliseconds(),
            precondition.Checked, precondition.Versions,
        }, cancellationToken: cancellationToken));
        var updated = await results.ReadSingleAsync<long>() == 1;
        var product = await results.ReadSingleOrDefaultAsync<Product>();
        return (updated, product) switch
        {
            (_, null) => NotFound(id),
            (true, _) => TypedResults.Ok(product),
            (false, _) when precondition.Checked && !precondition.Versions.Contains(product.Version) => IfMatch.Failed($"Product {id}"),
            (false, _) when patch.StockDelta is { } delta => Problems.Conflict(
                $"Moving the stock of product {id} by {delta:N0} would leave {product.Stock + delta:N0}; it must stay between 0 and {ProductRules.MaxStock:N0}. Nothing was changed."),
            // The version named in If-Match came only after the update looked.
            _ => IfMatch.Failed($"Product {id}"),
        };
    }

    /// <summary>Products by ascending id, after <c>cursor</c>, optionally matching <c>search</c> in name or sku.</summary>
    public static Task<Results<Ok<Page<Product>>, ValidationProblem>> List(
        string? search, string? cursor, string? limit, Database db, CancellationToken cancellationToken) =>
        db.ListAsync<Product>(SelectColumns, filter: null, ["name", "sku"], MaxSearchLength, p => p.Id, search, cursor, limit, cancellationToken);

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Product {id} does not exist.");
}
