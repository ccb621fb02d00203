using System.Globalization;
using System.Threading.RateLimiting;
using Challenge.ServiceDefaults.Auth;
using Challenge.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Challenge.ServiceDefaults.Limits;

/// <summary>The <c>RateLimits</c> configuration section: requests per second per caller on the public routes.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>GETs per second (and at once) one caller may send; the benchmark's load stays well under it.</summary>
    public int ReadsPerSecond { get; set; } = 10_000;

    /// <summary>Writes (POST, PUT, PATCH, DELETE) per second (and at once) one caller may send: a stricter budget.</summary>
    public int WritesPerSecond { get; set; } = 2_000;
}

/// <summary>
/// ASP.NET Core's rate limiter on every public route: a token bucket per caller (the token's <c>sub</c>, else the
/// client's address) and per kind of request, reads and writes apart. Past it, 429 problem details with
/// <c>Retry-After</c>, before any work is done.
/// </summary>
public static class RateLimits
{
    public const string PublicPolicy = "public";

    public static IHostApplicationBuilder AddPublicRateLimits(this IHostApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        if (limits.ReadsPerSecond < 1 || limits.WritesPerSecond < 1)
        {
            throw new InvalidOperationException("RateLimits:ReadsPerSecond and RateLimits:WritesPerSecond must be at least 1.");
        }
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Built once: a request finds its bucket by (caller, reads or writes); the options serve only new buckets.
            var reads = Bucket(limits.ReadsPerSecond);
            var writes = Bucket(limits.WritesPerSecond);
            options.AddPolicy(PublicPolicy, http =>
            {
                var isRead = HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method);
                var caller = http.User.Identity?.IsAuthenticated == true ? Callers.Of(http.User) : $"address:{http.Connection.RemoteIpAddress}";
                return RateLimitPartition.GetTokenBucketLimiter((caller, isRead), isRead ? reads : writes);
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 1;
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(http, StatusCodes.Status429TooManyRequests,
                    $"Too many requests from this caller; retry in {seconds} s.", "https://tools.ietf.org/html/rfc6585#section-4", "Too Many Requests");
            };
        });
        return builder;
    }

    private static Func<(string Caller, bool IsRead), TokenBucketRateLimiterOptions> Bucket(int perSecond)
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
}
