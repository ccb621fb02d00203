using Microsoft.AspNetCore.Http;

namespace Challenge.ApiConventions;

public static class Headers
{
    /// <summary>A request header's value by name (several values joined by commas), or null when it was not sent.</summary>
    public static string? HeaderValue(this HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
}
