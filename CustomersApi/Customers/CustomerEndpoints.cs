using Challenge.ApiConventions;
using Challenge.Contracts.Customers;
using Challenge.Contracts.Validation;
using Challenge.Data;
using Challenge.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Challenge.CustomersApi.Customers;

public static class CustomerEndpoints
{
    public static IHostApplicationBuilder AddCustomersApi(this IHostApplicationBuilder builder)
    {
        builder.AddMySqlDataSource("customersdb");
        builder.AddGeneratedJson(CustomersJson.Default);
        builder.Services.AddSingleton<CustomerStore>();
        return builder;
    }

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/customers")
            .WithTags("Customers")
            .RequirePublicAccess(AuthPolicies.Operator)
            .WithRowVersions((Customer customer) => customer.Version);
        customers.MapPost("/", Create).WithSummary("Create a customer").ProducesProblem(StatusCodes.Status409Conflict);
        customers.MapGet("/{id:long}", Get).WithSummary("Read a customer").ProducesProblem(StatusCodes.Status404NotFound);
        customers.MapGet("/", List).WithSummary("List customers, optionally searched by name or e-mail");
        customers.MapPut("/{id:long}", Update).WithSummary("Replace a customer's fields")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        customers.MapDelete("/{id:long}", Delete).WithSummary("Delete a customer")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);

        // The lookup other services make before they accept an order: service tokens only, in every environment.
        app.MapGroup("/internal/customers")
            .WithTags("Internal")
            .RequireCallers(ServiceNames.OrdersApi, ServiceNames.Orchestrator)
            .MapGet("/{id:long}", Get)
            .WithSummary("Look a customer up (services only)")
            .WithRowVersions((Customer customer) => customer.Version)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<Results<Created<Customer>, ValidationProblem, ProblemHttpResult>> Create(
        CustomerRequest request, CustomerStore customers, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fields = request.Validate(errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        return await customers.CreateAsync(fields, cancellationToken) is { } customer
            ? TypedResults.Created($"/customers/{customer.Id}", customer)
            : EmailTaken(fields.Email);
    }

    public static async Task<Results<Ok<Customer>, ProblemHttpResult>> Get(long id, CustomerStore customers, CancellationToken cancellationToken) =>
        await customers.FindAsync(id, cancellationToken) is { } customer ? TypedResults.Ok(customer) : NotFound(id);

    /// <remarks>Live customers by ascending id, after <c>cursor</c>, optionally matching <c>search</c> in name or e-mail.</remarks>
    public static async Task<Results<Ok<Page<Customer>>, ValidationProblem>> List(
        [AsParameters] SearchQuery search, [AsParameters] PageQuery page, CustomerStore customers, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var pattern = search.Validate(CustomerStore.MaxSearchLength, errors);
        var request = page.Validate(errors);
        return errors.IsEmpty ? TypedResults.Ok(await customers.PageAsync(pattern, request, cancellationToken)) : errors.ToProblem();
    }

    /// <remarks>Replaces the customer's fields; with <c>If-Match</c>, only while the customer is still at a version named there.</remarks>
    public static async Task<Results<Ok<Customer>, ValidationProblem, ProblemHttpResult>> Update(
        long id, CustomerRequest request, [FromHeader(Name = IfMatch.HeaderName)] string? ifMatch, CustomerStore customers,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var fields = request.Validate(errors);
        var precondition = IfMatch.Parse(ifMatch, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        return await customers.ReplaceAsync(id, fields, precondition, cancellationToken) switch
        {
            null => EmailTaken(fields.Email),
            { Row: null } => NotFound(id),
            { Made: false } => IfMatch.Failed($"Customer {id}"),
            { Row: { } customer } => TypedResults.Ok(customer),
        };
    }

    /// <remarks>
    /// Soft delete: the row stays (orders keep referring to it) but the customer is gone for every reader. With
    /// <c>If-Match</c>, only while the customer is still at a version named there.
    /// </remarks>
    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(
        long id, [FromHeader(Name = IfMatch.HeaderName)] string? ifMatch, CustomerStore customers, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var precondition = IfMatch.Parse(ifMatch, errors);
        if (!errors.IsEmpty)
        {
            return errors.ToProblem();
        }
        return await customers.DeleteAsync(id, precondition, cancellationToken) switch
        {
            { Made: true } => TypedResults.NoContent(),
            { Row: not null } => IfMatch.Failed($"Customer {id}"),
            _ => NotFound(id),
        };
    }

    private static ProblemHttpResult NotFound(long id) => Problems.NotFound($"Customer {id} does not exist.");

    private static ProblemHttpResult EmailTaken(string email) =>
        Problems.Conflict($"Another customer already uses the e-mail address '{email}'.");
}
