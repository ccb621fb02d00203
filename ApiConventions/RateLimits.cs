using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Challenge.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Challenge.ApiConventions;

/// <summary>
/// ASP.NET Core's rate limiter on every public route: a token bucket per caller (the token's <c>sub</c>, else the
/// client's address) and per kind of request, reads and writes apart; and in front of authentication, a bucket per
/// client address for the tokens it presents that this service has not validated yet. Past either, 429 problem
/// details with <c>Retry-After</c>, before any work is done. Buckets are per instance: N instances let a caller
/// through N times the budget.
/// </summary>
public static class RateLimits
{
    public const string PublicPolicy = "public";

    /// <summary>
    /// A public route, or a group of them: callers that <paramref name="policy"/> admits, within the per-caller rate
    /// limit; its OpenAPI description names the problems any such route may answer (429, 401, 403).
    /// </summary>
    public static TBuilder RequirePublicAccess<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy)
            .RequireRateLimiting(PublicPolicy)
            .WithMetadata(Problem(StatusCodes.Status429TooManyRequests), Problem(StatusCodes.Status401Unauthorized), Problem(StatusCodes.Status403Forbidden));

    private static ProducesResponseTypeMetadata Problem(int statusCode) =>
        new(statusCode, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]);

    public static IHostApplicationBuilder AddPublicRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.Section)
            .Validate(l => l.ReadsPerSecond >= 1 && l.WritesPerSecond >= 1 && l.UnverifiedTokensPerSecond >= 1,
                "RateLimits:ReadsPerSecond, RateLimits:WritesPerSecond and RateLimits:UnverifiedTokensPerSecond must be at least 1.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((options, configured) =>
        {
            var limits = configured.Value;
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Built once: a request finds its bucket by (caller, reads or writes); the options serve only new buckets.
            var reads = Bucket<(string, bool)>(limits.ReadsPerSecond);
            var writes = Bucket<(string, bool)>(limits.WritesPerSecond);
            options.AddPolicy(PublicPolicy, http =>
            {
                var isRead = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
                var caller = http.User.Identity?.IsAuthenticated == true ? Callers.Of(http.User) : $"address:{http.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetTokenBucketLimiter((caller, isRead), isRead ? reads : writes);
            });
            options.OnRejected = (context, _) => RefuseAsync(context.HttpContext, context.Lease);
        });
        builder.Services.AddSingleton(services =>
        {
            var unverified = Bucket<IPAddress>(services.GetRequiredService<IOptions<RateLimitOptions>>().Value.UnverifiedTokensPerSecond);
            return new UnverifiedTokenBudget(
                PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, unverified)));
        });
        return builder;
    }

    /// <summary>
    /// In front of authentication: a request whose bearer token this service has not validated yet spends one unit of
    /// its client address's budget, and past it is refused before the signature is checked. A token already
    /// validated, and a request without one (refused at once outside Development, as nothing is there to check),
    /// pass.
    /// </summary>
    public static IApplicationBuilder UseUnverifiedTokenLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var services = http.RequestServices;
        if (BearerToken(http.Request) is { } token && !services.GetRequiredService<VerifiedTokens>().Contains(token))
        {
            using var lease = services.GetRequiredService<UnverifiedTokenBudget>().Limiter.AttemptAcquire(http.Connection.RemoteIpAddress ?? IPAddress.None);
            if (!lease.IsAcquired)
            {
                await RefuseAsync(http, lease);
                return;
            }
        }
        await next(http);
    });

    private static string? BearerToken(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        return authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? authorization[7..].Trim() is { Length: > 0 } token ? token : null
            : null;
    }

    /// <summary>The one answer of every limit: 429 problem details, with the wait the bucket announces.</summary>
    private static async ValueTask RefuseAsync(HttpContext http, RateLimitLease lease)
    {
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
        http.Response.Headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(http, StatusCodes.Status429TooManyRequests,
            $"Too many requests from this caller; retry in {seconds} s.", "https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests");
    }

    private static Func<T, TokenBucketRateLimiterOptions> Bucket<T>(int perSecond)
    {
        var bucket = new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
        return _ => bucket;
    }

    private sealed record UnverifiedTokenBudget(PartitionedRateLimiter<IPAddress> Limiter);
}
