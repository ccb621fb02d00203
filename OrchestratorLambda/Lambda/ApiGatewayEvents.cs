using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>
/// Reads API Gateway proxy events (payload 1.0 and 2.0) into HTTP requests and writes HTTP responses back in the
/// matching payload format, with JsonDocument and Utf8JsonWriter: no reflection, AOT-safe.
/// </summary>
public static class ApiGatewayEvents
{
    public static bool TryRead(byte[] payload, [NotNullWhen(true)] out GatewayRequest? request, [NotNullWhen(false)] out string? error)
    {
        request = null;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object && String(root, "version") == "2.0")
            {
                request = ReadV2(root);
            }
            else if (root.ValueKind == JsonValueKind.Object && String(root, "httpMethod") is not null)
            {
                request = ReadV1(root);
            }
            error = request is null ? "The event is neither an API Gateway REST (1.0) nor an HTTP API (2.0) proxy event." : null;
            return request is not null;
        }
        catch (Exception exception) when (exception is JsonException or FormatException or InvalidOperationException)
        {
            error = $"The event could not be read: {exception.Message}";
            return false;
        }
    }

    public static byte[] WriteResponse(PayloadVersion version, int statusCode, IEnumerable<KeyValuePair<string, StringValues>> headers, byte[] body)
    {
        var headerList = headers.ToList();
        var contentType = headerList.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value.ToString();
        var text = body.Length == 0 || IsText(contentType);
        using var output = new MemoryStream();
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteNumber("statusCode", statusCode);
            if (version == PayloadVersion.V1)
            {
                json.WriteStartObject("multiValueHeaders");
                foreach (var (name, values) in headerList)
                {
                    json.WriteStartArray(name);
                    foreach (var value in values)
                    {
                        json.WriteStringValue(value);
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
            }
            else
            {
                json.WriteStartObject("headers");
                foreach (var (name, values) in headerList.Where(h => !IsSetCookie(h.Key)))
                {
                    json.WriteString(name, values.ToString());
                }
                json.WriteEndObject();
                json.WriteStartArray("cookies");
                foreach (var cookie in headerList.Where(h => IsSetCookie(h.Key)).SelectMany(h => h.Value))
                {
                    json.WriteStringValue(cookie);
                }
                json.WriteEndArray();
            }
            json.WriteString("body", text ? Encoding.UTF8.GetString(body) : Convert.ToBase64String(body));
            json.WriteBoolean("isBase64Encoded", !text);
            json.WriteEndObject();
        }
        return output.ToArray();
    }

    private static GatewayRequest ReadV1(JsonElement root)
    {
        var context = Object(root, "requestContext");
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        if (Object(root, "multiValueHeaders") is { } multi)
        {
            foreach (var header in multi.EnumerateObject())
            {
                headers[header.Name] = Strings(header.Value);
            }
        }
        else if (Object(root, "headers") is { } single)
        {
            foreach (var header in single.EnumerateObject())
            {
                headers[header.Name] = header.Value.GetString();
            }
        }
        var query = new StringBuilder();
        if ((Object(root, "multiValueQueryStringParameters") ?? Object(root, "queryStringParameters")) is { } parameters)
        {
            foreach (var parameter in parameters.EnumerateObject())
            {
                // API Gateway hands the values over decoded; the request line carries them encoded.
                foreach (var value in parameter.Value.ValueKind == JsonValueKind.Array ? Strings(parameter.Value) : new StringValues(parameter.Value.GetString()))
                {
                    query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(parameter.Name)).Append('=').Append(Uri.EscapeDataString(value ?? ""));
                }
            }
        }
        var (pathBase, path) = SplitStage(String(root, "path") ?? "/", context is { } c ? String(c, "stage") : null);
        return new(PayloadVersion.V1, String(root, "httpMethod")!, pathBase, path, query.ToString(), headers, Body(root),
            context is { } ctx ? String(ctx, "requestId") : null,
            context is { } withIdentity && Object(withIdentity, "identity") is { } identity ? Address(identity, "sourceIp") : null);
    }

    private static GatewayRequest ReadV2(JsonElement root)
    {
        var context = Object(root, "requestContext") ?? throw new FormatException("A 2.0 event needs a requestContext.");
        var http = Object(context, "http");
        var method = http is { } h ? String(h, "method") : null;
        var headers = new Dictionary<string, StringValues>(StringComparer.OrdinalIgnoreCase);
        if (Object(root, "headers") is { } single)
        {
            foreach (var header in single.EnumerateObject())
            {
                headers[header.Name] = header.Value.GetString();
            }
        }
        if (root.TryGetProperty("cookies", out var cookies) && cookies.ValueKind == JsonValueKind.Array)
        {
            headers["Cookie"] = string.Join("; ", Strings(cookies).ToArray());
        }
        var rawQuery = String(root, "rawQueryString");
        var (pathBase, path) = SplitStage(String(root, "rawPath") ?? "/", String(context, "stage"));
        return new(PayloadVersion.V2, method ?? throw new FormatException("A 2.0 event needs requestContext.http.method."),
            pathBase, path, string.IsNullOrEmpty(rawQuery) ? "" : $"?{rawQuery}", headers, Body(root), String(context, "requestId"),
            http is { } source ? Address(source, "sourceIp") : null);
    }

    /// <summary>A named stage's prefix (<c>/prod</c>) becomes the path base, so the routes see the same paths as on Kestrel.</summary>
    private static (string PathBase, string Path) SplitStage(string path, string? stage)
    {
        if (stage is null or "$default" || !path.StartsWith($"/{stage}", StringComparison.Ordinal))
        {
            return ("", path);
        }
        var rest = path[(stage.Length + 1)..];
        return rest.Length == 0 || rest[0] == '/' ? ($"/{stage}", rest.Length == 0 ? "/" : rest) : ("", path);
    }

    private static byte[] Body(JsonElement root)
    {
        var body = String(root, "body");
        if (body is null)
        {
            return [];
        }
        return root.TryGetProperty("isBase64Encoded", out var encoded) && encoded.ValueKind == JsonValueKind.True
            ? Convert.FromBase64String(body)
            : Encoding.UTF8.GetBytes(body);
    }

    private static bool IsText(string contentType) =>
        contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase)
        || contentType.Contains("javascript", StringComparison.OrdinalIgnoreCase);

    private static bool IsSetCookie(string name) => name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase);

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static System.Net.IPAddress? Address(JsonElement element, string name) =>
        System.Net.IPAddress.TryParse(String(element, name), out var address) ? address : null;

    private static JsonElement? Object(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static StringValues Strings(JsonElement array) =>
        new(array.EnumerateArray().Select(v => v.GetString()).ToArray());
}
