using Microsoft.Extensions.Primitives;

namespace Challenge.OrchestratorLambda.Lambda;

/// <summary>
/// An HTTP request carried by an API Gateway event, with the address of the caller API Gateway saw (its source IP):
/// the client address of the request, on which the limits before authentication count.
/// </summary>
public sealed record GatewayRequest(
    PayloadVersion Version, string Method, string PathBase, string Path, string QueryString,
    IReadOnlyDictionary<string, StringValues> Headers, byte[] Body, string? ApiGatewayRequestId, System.Net.IPAddress? SourceIp);
