using Challenge.Contracts.Validation;
using Challenge.Data;
using Microsoft.AspNetCore.Mvc;

namespace Challenge.ApiConventions;

/// <summary>The page a list is asked for: <c>limit</c> rows (1 to 100, 10 when not given) past <c>cursor</c>, the last id of the previous page.</summary>
public sealed record PageQuery(
    [FromQuery(Name = "limit")] int Limit = PageRequest.DefaultLimit,
    [FromQuery(Name = "cursor")] long Cursor = 0)
{
    public PageRequest Validate(ValidationErrors errors)
    {
        if (Limit is < 1 or > PageRequest.MaxLimit)
        {
            errors.Add("limit", $"limit must be a whole number from 1 to {PageRequest.MaxLimit}.");
        }
        if (Cursor < 0)
        {
            errors.Add("cursor", "cursor must be the id of the last row of the previous page.");
        }
        return new(Limit, Cursor);
    }
}
