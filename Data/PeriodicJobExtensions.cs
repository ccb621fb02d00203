using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Challenge.Data;

public static class PeriodicJobExtensions
{
    /// <summary>
    /// Runs <typeparamref name="TJob"/> in the background of this service, its rounds counted with every other job's; the
    /// job is a singleton too, so that what it does can be asked of it directly (a test's round, say).
    /// </summary>
    public static IServiceCollection AddPeriodicJob<[System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembers(System.Diagnostics.CodeAnalysis.DynamicallyAccessedMemberTypes.PublicConstructors)] TJob>(
        this IServiceCollection services) where TJob : PeriodicJob
    {
        services.TryAddSingleton<JobMetrics>();
        services.AddSingleton<TJob>();
        return services.AddHostedService(provider => provider.GetRequiredService<TJob>());
    }
}
