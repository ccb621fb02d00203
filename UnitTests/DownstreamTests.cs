using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Challenge.Contracts.Customers;
using Challenge.ServiceClients;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Challenge.UnitTests;

public sealed class DownstreamTests
{
    private const string Service = "Customers API";

    private static readonly JsonTypeInfo<CustomerSnapshot> customerJson = (JsonTypeInfo<CustomerSnapshot>)JsonSerializerOptions.Web.GetTypeInfo(typeof(CustomerSnapshot));

    private static Task<StepResult<CustomerSnapshot>> GetCustomerAsync(HttpClient http) =>
        ServiceCalls.SendAsync(http, new HttpRequestMessage(HttpMethod.Get, "http://customers-api/internal/customers/1"), customerJson, Service,
            CancellationToken.None);

    [Theory]
    [InlineData("text/html", "<html><body>Welcome to nginx!</body></html>")]
    [InlineData("application/json", "")]
    [InlineData("application/json", "null")]
    [InlineData("application/json", "[1,2]")]
    [InlineData("application/json", """{"id":"one"}""")]
    public async Task ASuccessWhoseBodyIsNotTheExpectedJsonIsABadGateway(string contentType, string body)
    {
        using var http = new HttpClient(new Answering(_ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(body, Encoding.UTF8, contentType),
        })));

        var result = await GetCustomerAsync(http);

        Assert.Null(result.Value);
        Assert.Equal(502, result.Failure?.Status);
        Assert.Equal($"The {Service} answered 200 with a body that is not the expected JSON.", result.Failure?.Detail);
    }

    [Fact]
    public async Task ACallTheResiliencePipelineHoldsBackIsUnavailableWithRetryAfter()
    {
        // The standard resilience handler's concurrency limiter, with room for one call: the second is rejected.
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddConcurrencyLimiter(permitLimit: 1, queueLimit: 0).Build();
        var held = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = new Answering(_ => held.Task) });
        var first = GetCustomerAsync(http);

        var second = await GetCustomerAsync(http);
        held.SetResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"id":1,"name":"A","email":"a@example.com"}""") });

        Assert.Equal(503, second.Failure?.Status);
        Assert.Equal(1, second.Failure?.RetryAfterSeconds);
        Assert.Equal(1, (await first).Value?.Id);
    }

    /// <summary>
    /// The customer lookup the Orders API and the orchestrator both make, refused by the caller's own pipeline: a 503
    /// to retry, with Retry-After, never a 500 (the Orders API once let this through as an exception).
    /// </summary>
    [Fact]
    public async Task ACustomerLookupHeldBackByTheCallersPipelineIsAnsweredUnavailableWithRetryAfter()
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddConcurrencyLimiter(permitLimit: 1, queueLimit: 0).Build();
        var held = new TaskCompletionSource<HttpResponseMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var http = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = new Answering(_ => held.Task) })
        {
            BaseAddress = new Uri("http://customers-api"),
        };
        var key = Challenge.Identity.SigningKey.Generate();
        var tokens = new Challenge.Identity.ServiceTokenIssuer(Microsoft.Extensions.Options.Options.Create(
            new Challenge.Identity.AuthOptions { Issuer = "challenge", Audience = "orders-api", SigningKey = key }), TimeProvider.System);
        var lookup = new CustomerLookup(http, tokens);
        var first = lookup.GetAsync(1, CancellationToken.None);

        var second = await lookup.GetAsync(1, CancellationToken.None);
        held.SetResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"id":1,"name":"A","email":"a@example.com"}""") });

        var answer = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        answer.Response.Body = new MemoryStream();
        await second.Failure!.ToProblem().ExecuteAsync(answer);
        Assert.Equal(503, answer.Response.StatusCode);
        Assert.Equal("1", answer.Response.Headers.RetryAfter.ToString());
        Assert.Equal(1, (await first).Value?.Id);
    }

    private sealed class Answering(Func<HttpRequestMessage, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => answer(request);
    }
}
