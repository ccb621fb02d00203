using Challenge.Data;
using Dapper;
using Microsoft.AspNetCore.DataProtection;

namespace Challenge.Webhooks.Signing;

/// <summary>
/// The subscriptions' secrets at rest: protected with ASP.NET Core Data Protection, whose key ring lives in ordersdb
/// (<see cref="MySqlXmlRepository"/>, read by every instance of the Orders API and of the dispatcher) and is itself
/// encrypted with the deployment's certificate (<see cref="WebhookOptions.KeyRingCertificate"/>). A stored value that
/// still starts with <c>whsec_</c> was stored before secrets were encrypted; it is read as it is until it is protected.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider, Database db) : IDisposable
{
    private const string Purpose = "Challenge.Webhooks.SubscriptionSecrets.v1";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);
    private readonly SemaphoreSlim firstUse = new(1, 1);
    private volatile bool ready;

    public static bool IsProtected(string stored) => !stored.StartsWith(WebhookSignature.SecretPrefix, StringComparison.Ordinal);

    public async Task<string> ProtectAsync(string secret, CancellationToken cancellationToken)
    {
        await EnsureKeyRingAsync(cancellationToken);
        return protector.Protect(secret);
    }

    public async Task<string> UnprotectAsync(string stored, CancellationToken cancellationToken)
    {
        if (!IsProtected(stored))
        {
            return stored;
        }
        await EnsureKeyRingAsync(cancellationToken);
        return protector.Unprotect(stored);
    }

    /// <summary>
    /// The first use in a process loads the key ring under a server-wide lock, so that instances starting at once on an
    /// empty ring make one key between them rather than one each (a process that loaded the ring before another's key
    /// was written would not look for that key again for a day). A certificate that cannot read the ring fails here,
    /// before anything is written with it.
    /// </summary>
    private async Task EnsureKeyRingAsync(CancellationToken cancellationToken)
    {
        if (ready)
        {
            return;
        }
        await firstUse.WaitAsync(cancellationToken);
        try
        {
            if (ready)
            {
                return;
            }
            await using var connection = await db.OpenConnectionAsync(cancellationToken);
            if (await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT GET_LOCK('data_protection_keys', 30)",
                    cancellationToken: cancellationToken)) != 1)
            {
                throw new TimeoutException("The webhook secrets' key ring stayed locked by another instance for 30 s.");
            }
            try
            {
                protector.Unprotect(protector.Protect("the key ring is readable"));
            }
            finally
            {
                await connection.ExecuteAsync(new CommandDefinition("DO RELEASE_LOCK('data_protection_keys')", cancellationToken: CancellationToken.None));
            }
            ready = true;
        }
        finally
        {
            firstUse.Release();
        }
    }

    public void Dispose() => firstUse.Dispose();
}
