using System.Net;
using Challenge.OrderEvents.Dispatching;
using Challenge.Webhooks;
using Challenge.Webhooks.Deliveries;
using Challenge.Webhooks.Signing;
using Challenge.Webhooks.Subscriptions;

namespace Challenge.UnitTests;

public sealed class WebhookTests
{
    /// <summary>The test vector of the Standard Webhooks specification: a receiver's own library verifies what is sent.</summary>
    [Fact]
    public void ASignatureMatchesTheStandardWebhooksTestVector() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            WebhookSignature.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, """{"test": 2432232314}"""));

    [Theory]
    [InlineData(1, 0.5, 1)]
    [InlineData(1, 1.0, 1)]
    [InlineData(2, 1.0, 2)]
    [InlineData(5, 1.0, 16)]
    [InlineData(12, 1.0, 2048)]
    [InlineData(13, 1.0, 3600)]
    [InlineData(40, 1.0, 3600)]
    public void RetriesBackOffExponentiallyFromASecondToAnHourAtMost(int failures, double random, double stepSeconds)
    {
        Assert.Equal(stepSeconds * (0.5 + random / 2), Backoff.After(failures, random).TotalSeconds, precision: 6);
        Assert.InRange(Backoff.After(failures, 0).TotalSeconds, stepSeconds / 2, stepSeconds);
    }

    [Theory]
    [InlineData(1.0, 36)]
    [InlineData(0.5, 44)]
    [InlineData(0.0, 60)]
    public void TheDefaultScheduleRetriesForADayIn36To60Attempts(double random, int expected)
    {
        var elapsed = TimeSpan.Zero;
        var attempts = 1;
        while (elapsed < TimeSpan.FromHours(24))
        {
            elapsed += Backoff.After(attempts++, random);
        }
        Assert.Equal(expected, attempts);
    }

    [Theory]
    [InlineData(false, "https://8.8.8.8/hooks", true)]
    [InlineData(false, "http://8.8.8.8/hooks", false)]
    [InlineData(true, "http://127.0.0.1/hooks", true)]
    public async Task OutsideDevelopmentOnlyHttpsIsSentToWhateverWasAllowedWhenSubscribing(bool allowLocal, string url, bool sent)
    {
        var handler = new RecordingHandler();
        var sender = new WebhookSender(new HttpClient(handler), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new WebhookOptions { AllowLocalUrls = allowLocal }));
        var delivery = new ClaimedDelivery(1, 1, 1, "order.created", url, ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"], "{}", null, 1,
            DateTime.UtcNow.AddDays(1), DateTime.UtcNow.AddMinutes(1));

        var attempt = await sender.SendAsync(delivery, TimeSpan.FromSeconds(5));

        Assert.Equal(sent, handler.Requests == 1);
        Assert.Equal(sent, attempt.Delivered);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task TheDispatchersConnectionsReachNoLocalAddressWhateverTheUrl(string host)
    {
        // A receiver that is there: only the check stands between the request and it.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var client = new HttpClient(new SocketsHttpHandler { ConnectCallback = WebhookSender.ConnectToPublicAddressAsync, UseProxy = false });

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri($"http://{host}:{port}/hooks"), null));

        Assert.Contains("public addresses only", refused.Message + refused.InnerException?.Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:a00:1::1", false)]
    [InlineData("198.18.0.1", false)]
    [InlineData("192.0.0.8", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("198.51.100.20", false)]
    [InlineData("203.0.113.200", false)]
    [InlineData("::a00:1", false)]
    [InlineData("::8.8.8.8", false)]
    [InlineData("64:ff9b:1::a00:1", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", false)]
    [InlineData("172.32.0.1", true)]
    [InlineData("203.0.114.1", true)]
    [InlineData("8.8.8.8", true)]
    [InlineData("2001:4860:4860::8888", true)]
    public void OnlyPublicAddressesMayReceiveWebhooks(string address, bool isPublic) =>
        Assert.Equal(isPublic, WebhookAddresses.IsPublic(IPAddress.Parse(address)));

    /// <summary>"Does not resolve" and "not public" are one answer: subscribing tells no one which internal names exist.</summary>
    [Fact]
    public async Task ANameThatDoesNotResolveAndOneThatResolvesInsideGetTheSameAnswer()
    {
        var strict = new WebhookOptions();

        var unknown = await WebhookAddresses.RefusalAsync("https://no-such-host.invalid/hooks", strict, CancellationToken.None);
        var inside = await WebhookAddresses.RefusalAsync("https://localhost/hooks", strict, CancellationToken.None);

        Assert.Equal(inside!.Replace("localhost", "HOST", StringComparison.Ordinal), unknown!.Replace("no-such-host.invalid", "HOST", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://8.8.8.8/hooks", false, null)]
    [InlineData("https://8.8.8.8:443/hooks", false, null)]
    [InlineData("https://8.8.8.8:8443/hooks", false, "port 443, 9443; 8443 is not allowed")]
    [InlineData("https://8.8.8.8:9443/hooks", false, null)]
    [InlineData("http://8.8.8.8/hooks", false, "https")]
    [InlineData("https://127.0.0.1/hooks", false, "public addresses only")]
    [InlineData("https://169.254.169.254/latest/meta-data", false, "public addresses only")]
    [InlineData("https://192.0.2.1/hooks", false, "public addresses only")]
    [InlineData("https://localhost/hooks", false, "public addresses only")]
    [InlineData("https://user:secret@8.8.8.8/hooks", false, "credentials")]
    [InlineData("ftp://8.8.8.8/hooks", false, "https")]
    [InlineData("not a url", false, "https")]
    [InlineData("http://127.0.0.1:5000/hooks", true, null)]
    public async Task AWebhookUrlIsHttpsOnAnAllowedPortToAPublicAddressOutsideDevelopment(string url, bool allowLocal, string? refusal)
    {
        var reason = await WebhookAddresses.RefusalAsync(url, new WebhookOptions { AllowLocalUrls = allowLocal, AllowedPorts = [9443] }, CancellationToken.None);

        if (refusal is null)
        {
            Assert.Null(reason);
        }
        else
        {
            Assert.Contains(refusal, reason, StringComparison.Ordinal);
        }
    }
}
