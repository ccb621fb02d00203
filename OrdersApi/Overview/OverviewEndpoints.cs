using Challenge.Contracts.Overview;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Challenge.OrdersApi.Overview;

/// <summary>The operators' overview: the numbers the console's home page shows, for every customer, so operators only.</summary>
public static class OverviewEndpoints
{
    public static IEndpointRouteBuilder MapOverviewApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/overview", Read)
            .WithTags("Overview")
            .RequirePublicAccess(AuthPolicies.Operator)
            .WithSummary("Today's orders by status, the last hour's orders per minute, low stock and failed deliveries")
            .ProducesValidationProblem();
        return app;
    }

    /// <remarks>
    /// Today is the UTC day. A product is low on stock at or below <c>low_stock</c> units (5 by default); the ten lowest
    /// are listed, and the ten subscriptions with the most deliveries given up.
    /// </remarks>
    public static async Task<Results<Ok<OperatorOverview>, ValidationProblem>> Read([AsParameters] OverviewQuery query, OverviewStore overview,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var lowStock = query.Validate(errors);
        return errors.IsEmpty ? TypedResults.Ok(await overview.ReadAsync(lowStock, cancellationToken)) : errors.ToProblem();
    }
}
