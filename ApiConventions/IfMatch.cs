using Challenge.Contracts.Validation;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Challenge.ApiConventions;

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
    /// The precondition as SQL, judged by the statement that makes the change (under the row's lock), over the row's
    /// <c>version</c>; its parameters are <see cref="Parameters"/>.
    /// </summary>
    public const string Condition = "(@checked = FALSE OR FIND_IN_SET(version, @versions) > 0)";

    public (string Name, object? Value)[] Parameters() => [("@checked", Checked), ("@versions", string.Join(',', Versions))];

    /// <summary>Whether a row at <paramref name="version"/> meets the precondition.</summary>
    public bool Allows(long version) => !Checked || Versions.Contains(version);

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
