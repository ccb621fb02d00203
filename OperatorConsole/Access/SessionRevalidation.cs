using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Challenge.OperatorConsole.Access;

/// <summary>
/// Ends a page left open when its person's session ends (<see cref="ConsoleAccess.SessionLifetime"/>): checked every
/// minute, the circuit's person becomes no one, the page says only operators may use the console, and nothing more is
/// signed for them (<see cref="Apis.ConsoleApi"/> checks the same).
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, TimeProvider time) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(ConsoleAccess.SessionIsOn(authenticationState.User, time.GetUtcNow()));
}
