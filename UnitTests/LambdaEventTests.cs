using System.Net;
using System.Text;
using System.Text.Json;
using Challenge.OrchestratorLambda.Lambda;
using Challenge.ServiceClients;
using Microsoft.Extensions.Primitives;
using Polly;

namespace Challenge.UnitTests;

public sealed class LambdaEventTests
{
    private static GatewayRequest Read(string json)
    {
        Assert.True(ApiGatewayEvents.TryRead(Encoding.UTF8.GetBytes(json), out var request, out var error), error);
        return request;
    }

    [Fact]
    public void ARestEventKeepsItsPathAndReEncodesItsDecodedQueryValues()
    {
        var request = Read("""
            {"httpMethod":"GET","path":"/orders","multiValueHeaders":{"Accept":["application/json"]},
             "multiValueQueryStringParameters":{"search":["a b&c"],"limit":["5"]},
             "requestContext":{"requestId":"r-1","stage":"prod","identity":{"sourceIp":"203.0.113.7"}},"body":null,"isBase64Encoded":false}
            """);

        Assert.Equal((PayloadVersion.V1, "GET", "", "/orders"), (request.Version, request.Method, request.PathBase, request.Path));
        Assert.Equal("?search=a%20b%26c&limit=5", request.QueryString);
        Assert.Equal("application/json", request.Headers["accept"]);
        Assert.Equal("r-1", request.ApiGatewayRequestId);
        Assert.Equal(IPAddress.Parse("203.0.113.7"), request.SourceIp);
        Assert.Empty(request.Body);
    }

    [Fact]
    public void AnHttpApiEventLosesItsStagePrefixAndDecodesItsBody()
    {
        var request = Read("""
            {"version":"2.0","rawPath":"/prod/orchestrator/create-and-confirm-order","rawQueryString":"a=1",
             "cookies":["s=1","t=2"],"headers":{"content-type":"application/json"},
             "requestContext":{"requestId":"r-2","stage":"prod","http":{"method":"POST","sourceIp":"2001:db8::7"}},
             "body":"eyJhIjoxfQ==","isBase64Encoded":true}
            """);

        Assert.Equal(("/prod", "/orchestrator/create-and-confirm-order", "?a=1"), (request.PathBase, request.Path, request.QueryString));
        Assert.Equal("""{"a":1}""", Encoding.UTF8.GetString(request.Body));
        Assert.Equal("s=1; t=2", request.Headers["Cookie"]);
        Assert.Equal(IPAddress.Parse("2001:db8::7"), request.SourceIp);
    }

    [Theory]
    [InlineData("/prodigy/x", "prod", "", "/prodigy/x")]
    [InlineData("/prod", "prod", "/prod", "/")]
    [InlineData("/x", "$default", "", "/x")]
    public void OnlyAWholeStageSegmentIsTakenOff(string rawPath, string stage, string pathBase, string path)
    {
        var request = Read("{\"version\":\"2.0\",\"rawPath\":\"" + rawPath + "\",\"requestContext\":{\"stage\":\"" + stage + "\",\"http\":{\"method\":\"GET\"}}}");

        Assert.Equal((pathBase, path), (request.PathBase, request.Path));
    }

    [Theory]
    [InlineData("""{"source":"aws.events"}""")]
    [InlineData("[1,2]")]
    [InlineData("{not json")]
    [InlineData("""{"version":"2.0","rawPath":"/"}""")]
    [InlineData("""{"httpMethod":"POST","path":"/","body":"%%%","isBase64Encoded":true}""")]
    public void AnythingButAnApiGatewayEventIsRefusedWithAReason(string json)
    {
        Assert.False(ApiGatewayEvents.TryRead(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void AVersion2AnswerPutsCookiesApartAndBase64EncodesBinaryBodies()
    {
        var headers = new Dictionary<string, StringValues>
        {
            ["Content-Type"] = "image/png",
            ["Set-Cookie"] = new(["a=1", "b=2"]),
        };

        var answer = JsonDocument.Parse(ApiGatewayEvents.WriteResponse(PayloadVersion.V2, 200, headers, [1, 2, 3])).RootElement;

        Assert.Equal(["a=1", "b=2"], answer.GetProperty("cookies").EnumerateArray().Select(c => c.GetString()));
        Assert.False(answer.GetProperty("headers").TryGetProperty("Set-Cookie", out _));
        Assert.True(answer.GetProperty("isBase64Encoded").GetBoolean());
        Assert.Equal("AQID", answer.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("GET", false, HttpStatusCode.ServiceUnavailable, true)]
    [InlineData("GET", false, HttpStatusCode.InternalServerError, false)]
    [InlineData("POST", true, HttpStatusCode.BadGateway, true)]
    [InlineData("POST", false, HttpStatusCode.BadGateway, false)]
    [InlineData("PUT", false, HttpStatusCode.TooManyRequests, true)]
    [InlineData("GET", false, HttpStatusCode.NotFound, false)]
    public void OnlySafeRequestsAreRetriedAndOnlyOnPassingFailures(string method, bool keyed, HttpStatusCode status, bool retried)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "http://orders-api/orders");
        if (keyed)
        {
            request.Headers.Add("Idempotency-Key", "k");
        }
        using var response = new HttpResponseMessage(status);

        Assert.Equal(retried, ServiceCalls.IsSafeToRetry(Outcome.FromResult(response), request));
    }

    [Fact]
    public void ATransportFailureOfAnUnkeyedPostIsNotRetried()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "http://orders-api/orders");

        Assert.False(ServiceCalls.IsSafeToRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException()), request));
    }
}
