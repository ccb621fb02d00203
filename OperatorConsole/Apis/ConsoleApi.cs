using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Challenge.Identity;
using Challenge.OperatorConsole.Access;
using Challenge.ServiceClients;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Challenge.OperatorConsole.Apis;

/// <summary>
/// The console's one way to the APIs, for the person using a page: each call carries a short-lived operator token the
/// console signs for that person (its <c>sub</c>), is resilient as every service's calls are, and comes back as a
/// value or as the API's refusal in words (<see cref="ApiProblem"/>), never as an exception a page must catch.
/// </summary>
public sealed class ConsoleApi(IHttpClientFactory clients, ServiceTokenIssuer tokens, AuthenticationStateProvider authentication,
    IOptions<ConsoleAccessOptions> access, TimeProvider time)
{
    /// <summary>The APIs' JSON: snake_case names.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The clients of the two APIs, found by service discovery; reads are retried, changes are not (ServiceCalls.IsSafeToRetry).</summary>
    public static IServiceCollection AddConsoleApis(IServiceCollection services)
    {
        foreach (var service in (string[])[ServiceNames.CustomersApi, ServiceNames.OrdersApi])
        {
            services.AddHttpClient(service, http => http.BaseAddress = new Uri($"http://{service}"))
                .AddStandardResilienceHandler(resilience => ServiceCalls.Resilience(resilience, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), retries: 2));
        }
        services.AddScoped<ConsoleApi>();
        return services;
    }

    public Task<ApiResult<T>> GetAsync<T>(string service, string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(service, HttpMethod.Get, path, body: null, ifMatch: null, cancellationToken);

    /// <param name="ifMatch">The ETag the change is conditional on (RFC 9110 <c>If-Match</c>), or null.</param>
    public async Task<ApiResult<T>> SendAsync<T>(string service, HttpMethod method, string path, object? body, string? ifMatch,
        CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.GetOperatorToken(service, await PersonAsync()));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Parse(ifMatch));
        }
        try
        {
            using var response = await clients.CreateClient(service).SendAsync(request, cancellationToken);
            var etag = response.Headers.ETag?.ToString();
            if (!response.IsSuccessStatusCode)
            {
                return new(default, etag, await ApiProblem.ReadAsync(response, cancellationToken));
            }
            var value = response.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.Accepted
                ? default
                : await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken);
            return new(value, etag, null);
        }
        catch (JsonException)
        {
            return new(default, null, ApiProblem.Unreadable(service));
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
                                  || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new(default, null, ApiProblem.Unreachable(service));
        }
    }

    /// <summary>The person the call is for: the subject of whoever is signed in, who must be an operator whose session is on.</summary>
    private async Task<string> PersonAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (!user.HasClaim(access.Value.OperatorClaimType, access.Value.OperatorClaimValue) || !ConsoleAccess.SessionIsOn(user, time.GetUtcNow())
            || user.FindFirst("sub")?.Value is not { Length: > 0 } subject)
        {
            throw new UnauthorizedAccessException("Only an operator signed in to the console calls the APIs through it.");
        }
        return subject;
    }
}
