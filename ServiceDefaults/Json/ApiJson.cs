using System.Text.Json;
using System.Text.Json.Serialization;

namespace Challenge.ServiceDefaults.Json;

/// <summary>The JSON contract of SPEC.md, shared by every service and by the clients in tests.</summary>
public static class ApiJson
{
    public const int MaxDepth = 64;

    public static void Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        // ASP.NET Core's web defaults read "2" as a number; the contract wants a wrong type to be a 400.
        options.NumberHandling = JsonNumberHandling.Strict;
        options.MaxDepth = MaxDepth;
        options.Converters.Add(new UtcTimestampConverter());
    }

    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
