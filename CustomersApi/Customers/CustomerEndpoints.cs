using Challenge.Contracts.Customers;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Data;
using Challenge.ServiceDefaults.Http;
using Challenge.ServiceDefaults.Json;
using Challenge.ServiceDefaults.Limits;
using Challenge.ServiceDefaults.Paging;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MySqlConnector;

namespace Challenge.CustomersApi.Customers;

public static class CustomerEndpoints
{
    private const int MaxSearchLength = 254;

    private const string SelectColumns = """
        SELECT id, name, email, phone, limit_open_orders AS LimitOpenOrders, limit_reserved_units AS LimitReservedUnits,
               created_at AS CreatedAt, updated_at AS UpdatedAt, version
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
            .RequirePublicAccess(AuthPolicies.Operator)
            .WithRowVersions();
        customers.MapPost("/", Create).ProducesProblem(StatusCodes.Status409Conflict);
        customers.MapGet("/{id:long}", Get).ProducesProblem(StatusCodes.Status404NotFound);
        customers.MapGet("/", List);
        customers.MapPut("/{id:long}", Update)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        customers.MapDelete("/{id:long}", Delete)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        // The lookup other services make before they accept an order: service tokens only, in every environment.
        app.MapGroup("/internal/customers")
            .WithTags("Internal")
            .RequireCallers(ServiceNames.OrdersApi, ServiceNames.Orchestrator)
            .MapGet("/{id:long}", Get)
            .WithRowVersions()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<Customer>, ValidationProblem, ProblemHttpResult>> Create(
        CustomerRequest request, Database db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fields = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        const string sql = """
            INSERT INTO customers (name, email, phone, limit_open_orders, limit_reserved_units, created_at, updated_at)
            VALUES (@Name, @Email, @Phone, @OpenOrders, @ReservedUnits, @now, @now);
            SELECT LAST_INSERT_ID();
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                sql, new { fields.Name, fields.Email, fields.Phone, fields.Limits.OpenOrders, fields.Limits.ReservedUnits, now }, cancellationToken: cancellationToken));
            return TypedResults.Created($"/customers/{id}", new Customer(id, fields.Name, fields.Email, fields.Phone, fields.Limits, now, now, Version: 1));
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return EmailTaken(fields.Email);
        }
    }

    public static async Task<Results<Ok<Customer>, ProblemHttpResult>> Get(
        long id, Database db, CancellationToken cancellationToken)
    {
        const string sql = $"{SelectColumns} WHERE id = @id AND deleted_at IS NULL";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var customer = await connection.QuerySingleOrDefaultAsync<CustomerRow>(
            new CommandDefinition(sql, new { id }, cancellationToken: cancellationToken));
        return customer is null ? NotFound(id) : TypedResults.Ok(customer.ToCustomer());
    }

    /// <summary>Live customers by ascending id, after <c>cursor</c>, optionally matching <c>search</c> in name or e-mail.</summary>
    public static async Task<Results<Ok<Page<Customer>>, ValidationProblem>> List(
        string? search, string? cursor, string? limit, Database db, CancellationToken cancellationToken)
    {
        var page = await db.ListAsync<CustomerRow>(SelectColumns, "deleted_at IS NULL", ["name", "email"], MaxSearchLength, c => c.Id, search, cursor, limit,
            cancellationToken);
        return page.Result is Ok<Page<CustomerRow>> { Value: { } rows } ? TypedResults.Ok(rows.Select(row => row.ToCustomer())) : (ValidationProblem)page.Result;
    }

    /// <summary>Replaces the three fields; with <c>If-Match</c>, only while the customer is still at a version named there.</summary>
    public static async Task<Results<Ok<Customer>, ValidationProblem, ProblemHttpResult>> Update(
        long id, CustomerRequest request, [FromHeader(Name = IfMatch.HeaderName)] string? ifMatch, Database db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fields = request.Validate(errors);
        var precondition = IfMatch.Parse(ifMatch, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        // One round trip: the guarded update, whether it matched, and the row as it now is (none: unknown or deleted).
        const string sql = $"""
            UPDATE customers SET name = @Name, email = @Email, phone = @Phone, limit_open_orders = @OpenOrders,
                   limit_reserved_units = @ReservedUnits, updated_at = @now, version = version + 1
            WHERE id = @id AND deleted_at IS NULL AND {IfMatch.Condition};
            SELECT ROW_COUNT();
            {SelectColumns} WHERE id = @id AND deleted_at IS NULL;
            """;
        var now = time.UtcNowMilliseconds();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
                new { id, fields.Name, fields.Email, fields.Phone, fields.Limits.OpenOrders, fields.Limits.ReservedUnits, now, precondition.Checked, precondition.Versions },
                cancellationToken: cancellationToken));
            var updated = await results.ReadSingleAsync<long>() == 1;
            var customer = (await results.ReadSingleOrDefaultAsync<CustomerRow>())?.ToCustomer();
            return (updated, customer) switch
            {
                (_, null) => NotFound(id),
                (false, _) => IfMatch.Failed($"Customer {id}"),
                _ => TypedResults.Ok(customer),
            };
        }
        catch (MySqlException exception) when (exception.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return EmailTaken(fields.Email);
        }
    }

    /// <summary>
    /// Soft delete: the row stays (orders keep referring to it) but the customer is gone for every reader. With
    /// <c>If-Match</c>, only while the customer is still at a version named there.
    /// </summary>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(
        long id, [FromHeader(Name = IfMatch.HeaderName)] string? ifMatch, Database db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var precondition = IfMatch.Parse(ifMatch, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }

        const string sql = $"""
            UPDATE customers SET deleted_at = @now, updated_at = @now, version = version + 1
            WHERE id = @id AND deleted_at IS NULL AND {IfMatch.Condition};
            SELECT ROW_COUNT();
            SELECT COUNT(*) FROM customers WHERE id = @id AND deleted_at IS NULL;
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(sql,
            new { id, now = time.UtcNowMilliseconds(), precondition.Checked, precondition.Versions }, cancellationToken: cancellationToken));
        var deleted = await results.ReadSingleAsync<long>() == 1;
        var stillThere = await results.ReadSingleAsync<long>() == 1;
        return (deleted, stillThere) switch
        {
            (true, _) => TypedResults.NoContent(),
            (false, true) => IfMatch.Failed($"Customer {id}"),
            _ => NotFound(id),
        };
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Customer {id} does not exist.");

    private static ProblemHttpResult EmailTaken(string email) =>
        Problems.Conflict($"Another customer already uses the e-mail address '{email}'.");
}
