using Microsoft.Extensions.DependencyInjection;

namespace Challenge.ServiceClients;

public static class CustomerLookupExtensions
{
    /// <summary>
    /// The lookup's client: <c>http://customers-api</c>, resolved by service discovery, behind the resilience of
    /// <see cref="ServiceCalls.Resilience"/> within the caller's own time budget.
    /// </summary>
    public static IServiceCollection AddCustomerLookup(this IServiceCollection services, TimeSpan attemptTimeout, TimeSpan totalTimeout, int retries)
    {
        services.AddHttpClient<CustomerLookup>(http => http.BaseAddress = new Uri($"http://{CustomerLookup.ServiceName}"))
            .AddStandardResilienceHandler(resilience => ServiceCalls.Resilience(resilience, attemptTimeout, totalTimeout, retries));
        return services;
    }
}
