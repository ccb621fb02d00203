global using Challenge.ApiConventions;
global using Challenge.Contracts.Idempotency;
global using Challenge.Contracts.Orders;
global using Challenge.Contracts.Validation;
global using Challenge.Data;
global using Challenge.Identity;
global using Challenge.OrdersApi.Idempotency;
global using Challenge.OrdersApi.Orders;
global using Challenge.OrdersApi.Orders.Writing;
global using Challenge.ServiceClients;

// The outcomes of a state change: the order (its answer's very text, kept with its key when there is one), or a
// problem, some of which tell the client when to retry.
global using OrderOutcome = Microsoft.AspNetCore.Http.HttpResults.Results<
    Challenge.ApiConventions.JsonTextResult,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult,
    Challenge.ApiConventions.RetryableProblem>;
