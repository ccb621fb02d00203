using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Challenge.OperatorConsole.Access;

/// <summary>
/// Development only: whoever opens the console from this machine is the local operator, without signing in, as
/// anonymous calls to the APIs count as an operator's there; every page says so. A request from another machine is no
/// one (a console run in Development on a reachable address gives no one on the network an operator's power).
/// </summary>
public sealed class LocalOperator(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<ConsoleAccessOptions> access) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "LocalOperator";
    public const string Subject = "local-operator";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.Connection.RemoteIpAddress is not { } address || !System.Net.IPAddress.IsLoopback(address))
        {
            return Task.FromResult(AuthenticateResult.Fail("The local operator works from this machine only."));
        }
        var identity = new ClaimsIdentity(
            [new Claim("sub", Subject), new Claim("name", "Local operator"), new Claim(access.Value.OperatorClaimType, access.Value.OperatorClaimValue)],
            SchemeName, "name", "role");
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
