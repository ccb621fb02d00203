using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Challenge.Webhooks;
using Challenge.Webhooks.Deliveries;
using Challenge.Webhooks.Events;
using Challenge.Webhooks.Signing;
using Challenge.Webhooks.Subscriptions;
using Microsoft.Extensions.Options;

namespace Challenge.OrderEvents.Dispatching;

/// <summary>
/// Sends one delivery as Standard Webhooks has it: a POST of the event's body with <c>webhook-id</c> (the event's, the
/// same on every attempt, for the receiver to deduplicate by), <c>webhook-timestamp</c> (this attempt's) and
/// <c>webhook-signature</c>. The attempt is a span of the order's trace: the change that made the event started it.
/// Outside Development only <c>https://</c> on an allowed port is sent to, whatever was allowed when the subscription was made.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>Named after the application, the source the service defaults trace.</summary>
    private static readonly ActivitySource activities = new(typeof(WebhookSender).Assembly.GetName().Name!);

    /// <summary>One attempt, bounded by <paramref name="timeout"/> alone (a stopping instance lets it finish).</summary>
    public async Task<Attempt> SendAsync(ClaimedDelivery delivery, TimeSpan timeout)
    {
        ActivityContext.TryParse(delivery.Traceparent, null, out var parent);
        using var activity = activities.StartActivity($"deliver {delivery.EventType}", ActivityKind.Producer, parent);
        activity?.SetTag("webhook.subscription_id", delivery.SubscriptionId);
        activity?.SetTag("webhook.event_id", delivery.EventId);

        if (WebhookAddresses.Refusal(new Uri(delivery.Url), options.Value) is { } refusal)
        {
            return new(null, $"Not sent: {refusal}");
        }
        var id = EventIds.Of(delivery.EventId);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url)
        {
            Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("webhook-id", id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Sign(delivery.Secrets, id, timestamp, delivery.Payload));
        using var attempt = new CancellationTokenSource(timeout);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            activity?.SetTag("http.response.status_code", (int)response.StatusCode);
            // What the receiver said, as it said it (its reason phrase is its own words, of any length): kept cut to size.
            return new((int)response.StatusCode, response.IsSuccessStatusCode ? null : $"The receiver answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        }
        catch (OperationCanceledException)
        {
            return new(null, $"The receiver did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (HttpRequestException exception)
        {
            return new(null, $"The receiver could not be reached: {exception.Message}");
        }
    }

    /// <summary>
    /// Connects only to public addresses, whatever the URL's name resolves to now (it was checked when subscribing,
    /// and may resolve elsewhere since): a webhook never reaches this deployment's own network.
    /// </summary>
    public static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var allowed = await WebhookAddresses.ResolvePublicAsync(host, cancellationToken)
            ?? throw new HttpRequestException($"{host} resolves to a loopback, private or link-local address; webhooks go to public addresses only.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
