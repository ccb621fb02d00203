using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Challenge.ApiConventions;

/// <summary>The JSON contract of the API (snake_case, strict numbers, UTC timestamps), shared by every service and by the clients in tests.</summary>
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

    /// <summary>
    /// Puts a service's source-generated JSON metadata first in the chain that minimal APIs and stored answers use:
    /// no reflection on the request path (types it does not list still work, through reflection).
    /// </summary>
    public static IHostApplicationBuilder AddGeneratedJson(this IHostApplicationBuilder builder, IJsonTypeInfoResolver context)
    {
        builder.Services.Configure<JsonOptions>(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, context));
        return builder;
    }

    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(options);
        return options;
    }
}
