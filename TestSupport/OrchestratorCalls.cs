using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Challenge.ApiConventions;

namespace Challenge.TestSupport;

/// <summary>Calls of the orchestrator's one route, each made by the business it orders for: a client whose token acts for that customer.</summary>
public sealed class OrchestratorCalls(ITestServices services)
{
    public const string Path = "/orchestrator/create-and-confirm-order";

    private readonly ConcurrentDictionary<long, HttpClient> clients = new();

    public HttpClient ClientOf(long customerId) => clients.GetOrAdd(customerId, id => services.AsClient(Resources.Orchestrator, id));

    /// <summary>The documented body: the customer, the lines, and the key and correlation id when given.</summary>
    public Task<HttpResponseMessage> CallAsync(long customerId, IEnumerable<(long ProductId, long Qty)> items, string? key,
        string? correlationId = null, Action<HttpRequestMessage>? configure = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["customer_id"] = customerId,
            ["items"] = items.Select(i => new { product_id = i.ProductId, qty = i.Qty }).ToList(),
        };
        if (key is not null)
        {
            body["idempotency_key"] = key;
        }
        if (correlationId is not null)
        {
            body["correlation_id"] = correlationId;
        }
        var request = new HttpRequestMessage(HttpMethod.Post, Path)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        configure?.Invoke(request);
        return ClientOf(customerId).SendAsync(request);
    }

    public static bool IsReplay(HttpResponseMessage response) => response.Headers.Contains(JsonTextResult.ReplayedHeader);
}
