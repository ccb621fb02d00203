using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace Challenge.ServiceDefaults.Http;

/// <summary>A row that counts its changes: every change of the row adds one to its version.</summary>
public interface IVersioned
{
    long Version { get; }
}

/// <summary>
/// Conditional requests (RFC 9110 section 13) on rows that count their changes: a row's version is its strong
/// entity tag (<c>"3"</c>), sent as <c>ETag</c> with every answer that holds the row; a change sent with
/// <c>If-Match</c> is made only while the row still has one of the versions named (or any, for <c>*</c>), in the very
/// statement that makes it, and is otherwise a 412 that changes nothing.
/// </summary>
public static class RowVersions
{
    public static string ETag(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>Sets <c>ETag</c> on every answer whose value is a <see cref="IVersioned"/> row, and documents it.</summary>
    public static TBuilder WithRowVersions<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            if ((result is INestedHttpResult nested ? nested.Result : result) is IValueHttpResult { Value: IVersioned row })
            {
                context.HttpContext.Response.Headers.ETag = ETag(row.Version);
            }
            return result;
        });
        builder.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            foreach (var (status, response) in operation.Responses ?? [])
            {
                // Documented where the answer is a row (not on a list of them).
                var row = context.Description.SupportedResponseTypes.Any(r =>
                    r.StatusCode.ToString(CultureInfo.InvariantCulture) == status && typeof(IVersioned).IsAssignableFrom(r.Type));
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

/// <summary>
/// The <c>If-Match</c> of a change: absent (the change is unconditional), <c>*</c> (the row must exist, as it must
/// anyway), or the versions the client last saw. A weak tag never matches (If-Match compares strongly), nor does a
/// tag this service never issued.
/// </summary>
public sealed record IfMatch(bool Checked, long[] Versions)
{
    public const string HeaderName = "If-Match";

    public static readonly IfMatch Unconditional = new(false, []);

    /// <summary>
    /// The precondition as SQL, judged by the statement that makes the change (under the row's lock); its parameters
    /// are this record's <see cref="Checked"/> and <see cref="Versions"/>.
    /// </summary>
    public const string Condition = "(@Checked = FALSE OR version IN @Versions)";

    /// <summary>The precondition of <paramref name="header"/>; an error when it is not a list of entity tags.</summary>
    public static IfMatch Parse(string? header, ValidationErrors errors)
    {
        if (header is null)
        {
            return Unconditional;
        }
        if (!EntityTagHeaderValue.TryParseStrictList([header], out var tags) || tags.Count == 0)
        {
            errors.Add(HeaderName, $"{HeaderName} must be * or a list of entity tags, e.g. \"3\".");
            return Unconditional;
        }
        if (tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any)))
        {
            return Unconditional;
        }
        var versions = tags
            .Where(tag => !tag.IsWeak)
            .Select(tag => long.TryParse(tag.Tag.AsSpan().Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0)
            .Where(version => version > 0)
            .ToArray();
        return new(true, versions);
    }

    /// <summary>The answer to a change whose row exists but no longer has a version the client named.</summary>
    public static ProblemHttpResult Failed(string what) => TypedResults.Problem(
        $"{what} has changed since the version named in {HeaderName}; nothing was changed. Read it again, then retry with its current ETag.",
        statusCode: StatusCodes.Status412PreconditionFailed);
}
