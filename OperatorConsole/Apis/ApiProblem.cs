using System.Net;
using System.Text.Json;

namespace Challenge.OperatorConsole.Apis;

/// <summary>An API's refusal as a person reads it: its status, its words, and each field's own words (RFC 9457 problem details).</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>The sentence to show: the detail, else the title.</summary>
    public string Message => Detail ?? Title;

    /// <summary>What the API said of one field (its name in the API's JSON), or nothing.</summary>
    public string? For(string field) => Errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;

    public static ApiProblem Unreachable(string service) =>
        new((int)HttpStatusCode.ServiceUnavailable, $"The {service} did not answer", $"The {service} did not answer in time; try again in a moment.", new Dictionary<string, string[]>());

    public static ApiProblem Unreadable(string service) =>
        new((int)HttpStatusCode.BadGateway, $"The {service} answered in a way the console cannot read",
            "Its answer was not what this version of the console expects; the console and the API may be of different versions.", new Dictionary<string, string[]>());

    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<Body>(ConsoleApi.Json, cancellationToken);
            return new(status, body?.Title ?? response.ReasonPhrase ?? $"HTTP {status}", body?.Detail, body?.Errors ?? []);
        }
        catch (JsonException)
        {
            return new(status, response.ReasonPhrase ?? $"HTTP {status}", null, new Dictionary<string, string[]>());
        }
    }

    private sealed record Body(string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
