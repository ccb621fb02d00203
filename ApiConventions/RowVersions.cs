using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Challenge.ApiConventions;

/// <summary>
/// Conditional requests (RFC 9110 section 13) on rows that count their changes: a row's version is its strong
/// entity tag (<c>"3"</c>), sent as <c>ETag</c> with every answer that holds the row; a change sent with
/// <c>If-Match</c> is made only while the row still has one of the versions named (or any, for <c>*</c>), in the very
/// statement that makes it, and is otherwise a 412 that changes nothing.
/// </summary>
public static class RowVersions
{
    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Sets <c>ETag</c> on every answer whose value is a <typeparamref name="TRow"/>, from its <paramref name="version"/>
    /// (every change of the row adds one to it), and documents it.
    /// </summary>
    public static TBuilder WithRowVersions<TBuilder, TRow>(this TBuilder builder, Func<TRow, long> version) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if ((result is INestedHttpResult nested ? nested.Result : result) is IValueHttpResult { Value: TRow row })
            {
                context.HttpContext.Response.Headers.ETag = ETag(version(row));
            }
            return result;
        });
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            foreach (var (status, response) in operation.Responses ?? [])
            {
                // Documented where the answer is a row (not on a list of them).
                var row = context.Description.SupportedResponseTypes.Any(r =>
                    r.StatusCode.ToString(CultureInfo.InvariantCulture) == status && r.Type == typeof(TRow));
                if (row && response is OpenApiResponse answer)
                {
                    answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    answer.Headers[HeaderNames.ETag] = new OpenApiHeader
                    {
                        Description = "The row's version as a strong entity tag; send it back in If-Match to change the row only if no one else has.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
            return Task.CompletedTask;
        });
        return builder;
    }
}
