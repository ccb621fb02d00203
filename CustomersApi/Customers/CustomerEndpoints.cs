using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Json;
using Challenge.ServiceDefaults.Limits;
using Challenge.ServiceDefaults.Paging;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;

namespace Challenge.CustomersApi.Customers;

public static class CustomerEndpoints
{
    private const int MaxSearchLength = 254;

    private const string SelectColumns = """
        SELECT id, name, email, phone, created_at AS CreatedAt, updated_at AS UpdatedAt
        FROM customers
        """;

    public static IHostApplicationBuilder AddCustomersApi(this IHostApplicationBuilder builder)
    {
        builder.AddMySqlDataSource("customersdb");
        builder.AddGeneratedJson(CustomersJson.Default);
        return builder;
    }

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/customers")
            .WithTags("Customers")
            .RequireAuthorization(AuthPolicies.Operator)
            .RequireRateLimiting(RateLimits.PublicPolicy)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        customers.MapPost("/", Create).ProducesProblem(StatusCodes.Status409Conflict);
        customers.MapGet("/{id:long}", Get).ProducesProblem(StatusCodes.Status404NotFound);
        customers.MapGet("/", List);
        customers.MapPut("/{id:long}", Update)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        customers.MapDelete("/{id:long}", Delete).ProducesProblem(StatusCodes.Status404NotFound);

        // The lookup other services make before they accept an order: service tokens only, in every environment.
        app.MapGroup("/internal/customers")
            .WithTags("Internal")
            .RequireCallers(ServiceNames.OrdersApi, ServiceNames.Orchestrator)
            .MapGet("/{id:long}", Get)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<Customer>, ValidationProblem, ProblemHttpResult>> Create(
        CustomerRequest request, MySqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fields = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        const string sql = """
            INSERT INTO customers (name, email, phone, created_at, updated_at)
            VALUES (@Name, @Email, @Phone, @now, @now);
            SELECT LAST_INSERT_ID();
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                sql, new { fields.Name, fields.Email, fields.Phone, now }, cancellationToken: cancellationToken));
            return TypedResults.Created($"/customers/{id}", new Customer(id, fields.Name, fields.Email, fields.Phone, now, now));
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return EmailTaken(fields.Email);
        }
    }

    public static async Task<Results<Ok<Customer>, ProblemHttpResult>> Get(
        long id, MySqlDataSource db, CancellationToken cancellationToken)
    {
        const string sql = $"{SelectColumns} WHERE id = @id AND deleted_at IS NULL";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var customer = await connection.QuerySingleOrDefaultAsync<Customer>(
            new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return customer is null ? NotFound(id) : TypedResults.Ok(customer);
    }

    /// <summary>Live customers by ascending id, after <c>cursor</c>, optionally matching <c>search</c> in name or e-mail.</summary>
    public static async Task<Results<Ok<Page<Customer>>, ValidationProblem>> List(
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
            WHERE deleted_at IS NULL
              AND id > @Cursor
              AND (@pattern IS NULL OR name LIKE @pattern ESCAPE '!' OR email LIKE @pattern ESCAPE '!')
            ORDER BY id
            LIMIT @Take
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<Customer>(new CommandDefinition(
            sql, new { page.Cursor, page.Take, pattern }, cancellationToken: cancellationToken));
        return TypedResults.Ok(page.ToPage(rows.AsList(), c => c.Id));
    }

    public static async Task<Results<Ok<Customer>, ValidationProblem, ProblemHttpResult>> Update(
        long id, CustomerRequest request, MySqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fields = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        // One round trip: the update, then the row as it now is (nothing when the customer is unknown or deleted).
        const string sql = $"""
            UPDATE customers SET name = @Name, email = @Email, phone = @Phone, updated_at = @now
            WHERE id = @id AND deleted_at IS NULL;
            {SelectColumns} WHERE id = @id AND deleted_at IS NULL;
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            var customer = await connection.QuerySingleOrDefaultAsync<Customer>(new CommandDefinition(
                sql, new { id, fields.Name, fields.Email, fields.Phone, now }, cancellationToken: cancellationToken));
            return customer is null ? NotFound(id) : TypedResults.Ok(customer);
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return EmailTaken(fields.Email);
        }
    }

    /// <summary>Soft delete: the row stays (orders keep referring to it) but the customer is gone for every reader.</summary>
    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        long id, MySqlDataSource db, TimeProvider time, CancellationToken cancellationToken)
    {
        const string sql = """
            UPDATE customers SET deleted_at = @now, updated_at = @now
            WHERE id = @id AND deleted_at IS NULL
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            sql, new { id, now = time.UtcNowMilliseconds() }, cancellationToken: cancellationToken));
        return deleted == 0 ? NotFound(id) : TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Customer {id} does not exist.");

    private static ProblemHttpResult EmailTaken(string email) =>
        Problems.Conflict($"Another customer already uses the e-mail address '{email}'.");
}
