using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Challenge.OrdersApi.Idempotency;

/// <summary>
/// The Orders API's answers to changes, serialized once with the API's JSON options: the very text sent is the text
/// kept with an Idempotency-Key, so that a replay is the first answer byte for byte.
/// </summary>
public sealed class ReplayableAnswers(IOptions<JsonOptions> json)
{
    public JsonTextResult Ok<T>(T value) => new(StatusCodes.Status200OK, Serialize(value));

    public JsonTextResult Created<T>(T value, string location) => new(StatusCodes.Status201Created, Serialize(value), location);

    private string Serialize<T>(T value) => JsonSerializer.Serialize(value, json.Value.SerializerOptions);
}
