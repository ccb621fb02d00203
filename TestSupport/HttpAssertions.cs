using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Challenge.ApiConventions;

namespace Challenge.TestSupport;

public static partial class HttpAssertions
{
    public static readonly JsonSerializerOptions Json = ApiJson.CreateOptions();

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body, CancellationToken cancellationToken = default) =>
        client.PostAsJsonAsync(path, body, Json, cancellationToken);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string path, object body) =>
        client.PutAsJsonAsync(path, body, Json);

    /// <summary>Sends raw text as a JSON body, for malformed and hostile input.</summary>
    public static Task<HttpResponseMessage> PostRawAsync(this HttpClient client, string path, string body) =>
        client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Asserts the status and returns the JSON body.</summary>
    public static async Task<JsonElement> ExpectAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem with the status and every member the API promises (type, title, status, detail); returns it.</summary>
    public static async Task<JsonElement> ExpectProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var problem = await response.ExpectAsync(status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.DoesNotContain("Exception", problem.GetRawText(), StringComparison.Ordinal);
        return problem;
    }

    /// <summary>Asserts a 400 validation problem whose <c>errors</c> name exactly <paramref name="fields"/>.</summary>
    public static async Task<JsonElement> ExpectValidationProblemAsync(this HttpResponseMessage response, params string[] fields)
    {
        var problem = await response.ExpectProblemAsync(HttpStatusCode.BadRequest);
        var named = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order();
        Assert.Equal(fields.Order(), named);
        return problem;
    }

    /// <summary>
    /// Sends again, after the Retry-After it was given, while the answer is a 409 for a request in flight under the
    /// same key (only a few may wait on one key at once): what a well-behaved client does.
    /// </summary>
    public static async Task<HttpResponseMessage> RetryWhileInFlightAsync(Func<Task<HttpResponseMessage>> send)
    {
        var response = await send();
        for (var attempt = 0; attempt < 10 && response is { StatusCode: HttpStatusCode.Conflict, Headers.RetryAfter.Delta: { } wait }; attempt++)
        {
            await Task.Delay(wait);
            response = await send();
        }
        return response;
    }

    public static void AssertTimestamp(JsonElement value) =>
        Assert.Matches(TimestampPattern(), value.GetString());

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex TimestampPattern();
}
