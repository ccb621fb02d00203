// The outcomes of a state change: the order (stored with its key when there is one), or a problem, some of
// which tell the client when to retry.
global using OrderOutcome = Microsoft.AspNetCore.Http.HttpResults.Results<
    Challenge.ServiceDefaults.Http.StoredJson,
    Microsoft.AspNetCore.Http.HttpResults.ValidationProblem,
    Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult,
    Challenge.ServiceDefaults.Http.RetryableProblem>;
