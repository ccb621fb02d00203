namespace Challenge.OperatorConsole.Apis;

/// <summary>What an API answered: a value (and its <c>ETag</c>, when it has one), or its refusal.</summary>
public sealed record ApiResult<T>(T? Value, string? ETag, ApiProblem? Problem)
{
    public bool Succeeded => Problem is null;
}
