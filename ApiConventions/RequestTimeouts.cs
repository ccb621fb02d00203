using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Challenge.ApiConventions;

/// <summary>
/// ASP.NET Core's request timeouts on every endpoint: past its time a request's <c>RequestAborted</c> is cancelled,
/// which cancels its database work (the transaction is rolled back), and it is answered 504 problem details.
/// </summary>
public static class RequestTimeouts
{
    public static IHostApplicationBuilder AddRequestTimeoutLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RequestTimeoutLimits>()
            .BindConfiguration(RequestTimeoutLimits.Section)
            .Validate(l => l.Default >= TimeSpan.FromSeconds(1) && l.Default <= TimeSpan.FromMinutes(5), "RequestTimeouts:Default must be between 00:00:01 and 00:05:00.")
            .ValidateOnStart();
        builder.Services.AddRequestTimeouts(_ => { });
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<RequestTimeoutLimits>>((timeouts, limits) => timeouts.DefaultPolicy = Policy(limits.Value.Default));
        return builder;
    }

    /// <summary>A timeout of <paramref name="timeout"/> answered with a 504 problem, for an endpoint that needs its own.</summary>
    public static RequestTimeoutPolicy Policy(TimeSpan timeout) => new()
    {
        Timeout = timeout,
        TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
        WriteTimeoutResponse = http => http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(http,
            StatusCodes.Status504GatewayTimeout, $"The request did not complete within {timeout.TotalSeconds:0.###} s and was abandoned; retry it (a write with the same Idempotency-Key).",
            title: "Gateway Timeout"),
    };
}
