using Microsoft.AspNetCore.Http;

namespace Challenge.ApiConventions;

/// <summary>
/// Every error is an RFC 9457 problem with a <c>detail</c>; responses the framework produces without a body
/// (401, 403, 404 of unknown routes, 405) get one from the status code pages.
/// </summary>
internal static class ProblemConventions
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var request = context.HttpContext.Request;
        problem.Detail ??= problem.Status switch
        {
            StatusCodes.Status401Unauthorized => "A valid bearer token is required.",
            StatusCodes.Status403Forbidden => "The token does not grant access to this resource.",
            StatusCodes.Status404NotFound => $"Nothing is served at '{request.Path}'.",
            StatusCodes.Status405MethodNotAllowed => $"'{request.Method}' is not allowed on '{request.Path}'.",
            StatusCodes.Status500InternalServerError => "The server failed to handle the request.",
            _ => problem.Title,
        };
    }
}
