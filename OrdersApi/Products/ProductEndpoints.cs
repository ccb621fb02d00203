using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Limits;
using Challenge.ServiceDefaults.Paging;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Challenge.OrdersApi.Products;

public static class ProductEndpoints
{
    private const int MaxSearchLength = 200;

    private const string SelectColumns = """
        SELECT id, sku, name, price_cents AS PriceCents, stock, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM products
        """;

    public static IEndpointRouteBuilder MapProductsApi(this IEndpointRouteBuilder app)
    {
        // Everyone who may order reads products; only operators create or change them.
        var products = app.MapGroup("/products")
            .WithTags("Products")
            .RequireAuthorization(AuthPolicies.Client)
            .RequireRateLimiting(RateLimits.PublicPolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        products.MapPost("/", Create).RequireAuthorization(AuthPolicies.Operator).ProducesProblem(StatusCodes.Status409Conflict);
        products.MapGet("/{id:long}", Get).ProducesProblem(StatusCodes.Status404NotFound);
        products.MapPatch("/{id:long}", Update).RequireAuthorization(AuthPolicies.Operator).ProducesProblem(StatusCodes.Status404NotFound);
        products.MapGet("/", List);
        return app;
    }

    public static async Task<Results<Created<Product>, ValidationProblem, ProblemHttpResult>> Create(
        NewProduct request, MySqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
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
            var product = new Product(id, request.Sku!, name, request.PriceCents!.Value, request.Stock!.Value, now, now);
            return TypedResults.Created($"/products/{id}", product);
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return Problems.Conflict($"Another product already uses the sku '{request.Sku}'.");
        }
    }

    public static async Task<Results<Ok<Product>, ProblemHttpResult>> Get(long id, MySqlDataSource db, CancellationToken cancellationToken)
    {
        const string sql = $"{SelectColumns} WHERE id = @id";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var product = await connection.QuerySingleOrDefaultAsync<Product>(new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return product is null ? NotFound(id) : TypedResults.Ok(product);
    }

    /// <summary>Sets the fields given; <c>stock</c> is the new absolute count (a restock or a correction).</summary>
    public static async Task<Results<Ok<Product>, ValidationProblem, ProblemHttpResult>> Update(
        long id, ProductPatch patch, MySqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var name = patch.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        const string sql = $"""
            UPDATE products
            SET name = COALESCE(@name, name),
                price_cents = COALESCE(@PriceCents, price_cents),
                stock = COALESCE(@Stock, stock),
                updated_at = @now
            WHERE id = @id;
            {SelectColumns} WHERE id = @id;
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var product = await connection.QuerySingleOrDefaultAsync<Product>(new CommandDefinition(
            sql, new { id, name, patch.PriceCents, patch.Stock, now = time.UtcNowMilliseconds() }, cancellationToken: cancellationToken));
        return product is null ? NotFound(id) : TypedResults.Ok(product);
    }

    /// <summary>Products by ascending id, after <c>cursor</c>, optionally matching <c>search</c> in name or sku.</summary>
    public static async Task<Results<Ok<Page<Product>>, ValidationProblem>> List(
        string? search, string? cursor, string? limit, MySqlDataSource db, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var page = PageRequest.Parse(limit, cursor, errors);
        var pattern = LikePattern.FromSearch(search, MaxSearchLength, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        const string sql = $"""
            {SelectColumns}
            WHERE id > @Cursor
              AND (@pattern IS NULL OR name LIKE @pattern ESCAPE '!' OR sku LIKE @pattern ESCAPE '!')
            ORDER BY id
            LIMIT @Take
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Product>(new CommandDefinition(
            sql, new { page.Cursor, page.Take, pattern }, cancellationToken: cancellationToken));
        return TypedResults.Ok(page.ToPage(rows.AsList(), p => p.Id));
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Product {id} does not exist.");
}
