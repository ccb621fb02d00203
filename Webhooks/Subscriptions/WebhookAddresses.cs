using System.Net;
using System.Net.Sockets;

namespace Challenge.Webhooks.Subscriptions;

/// <summary>
/// Where a webhook may point: an <c>https://</c> address on port 443 (or another port the deployment allows) whose every
/// resolved address is public, so that no subscription turns the dispatcher into a client of this deployment's own
/// network (loopback, private, link-local: a cloud's metadata service among them). Checked when subscribing, and again
/// at every connection the dispatcher makes, after name resolution (a name may resolve elsewhere later). With
/// <see cref="WebhookOptions.AllowLocalUrls"/> (Development, and the tests' local receivers), <c>http://</c>, any port
/// and any address are allowed.
/// </summary>
public static class WebhookAddresses
{
    public const int MaxUrlLength = 2048;

    public const int HttpsPort = 443;

    /// <summary>Why <paramref name="url"/> may not be subscribed, or null when it may.</summary>
    public static async Task<string?> RefusalAsync(string? url, WebhookOptions options, CancellationToken cancellationToken)
    {
        if (url is not { Length: > 0 and <= MaxUrlLength } || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo) || uri.Fragment.Length > 0)
        {
            return $"url must be an absolute https:// address of at most {MaxUrlLength} characters, without credentials or fragment.";
        }
        if (Refusal(uri, options) is { } refusal)
        {
            return refusal;
        }
        if (options.AllowLocalUrls)
        {
            return null;
        }
        try
        {
            if (await ResolvePublicAsync(uri.IdnHost, cancellationToken) is not null)
            {
                return null;
            }
        }
        catch (SocketException)
        {
            // A name that does not resolve gets the same answer as one that resolves inside: subscribing tells no one
            // which internal names exist.
        }
        return $"url's host '{uri.Host}' does not resolve to public addresses only; a webhook must point at the internet.";
    }

    /// <summary>
    /// What a webhook may be sent to, by its URL alone: <c>https</c> on port 443 or an allowed one; <c>http</c> and any
    /// port too with <see cref="WebhookOptions.AllowLocalUrls"/>. Judged when subscribing and at every attempt, whatever was allowed
    /// when the subscription was made. Null when allowed, else why not.
    /// </summary>
    public static string? Refusal(Uri url, WebhookOptions options)
    {
        if (options.AllowLocalUrls)
        {
            return null;
        }
        if (url.Scheme != Uri.UriSchemeHttps)
        {
            return "url must be an https:// address.";
        }
        return url.Port == HttpsPort || options.AllowedPorts.Contains(url.Port)
            ? null
            : $"url must use port {string.Join(", ", options.AllowedPorts.Prepend(HttpsPort))}; {url.Port} is not allowed here.";
    }

    /// <summary>
    /// The URL as subscriptions compare it, hashed (SHA-256): scheme and host in lower case, a default port dropped, the
    /// path and query as they are. One scope (a customer, or every customer) subscribes a URL once.
    /// </summary>
    public static byte[] Key(Uri url) => System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(url.GetComponents(UriComponents.SchemeAndServer | UriComponents.PathAndQuery, UriFormat.UriEscaped)));

    /// <summary>What <paramref name="host"/> resolves to (itself, for an address) when every one of them is public; else null.</summary>
    public static async Task<IPAddress[]?> ResolvePublicAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        return addresses.Length > 0 && addresses.All(IsPublic) ? addresses : null;
    }

    /// <summary>Whether an address is one of the internet's: not loopback, private, link-local, unspecified, multicast, shared or documentation.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return false;
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            // Link-local fe80::/10, site-local, unique local fc00::/7 (private), multicast ff00::/8, documentation
            // 2001:db8::/32; and the prefixes that carry an IPv4 address, which may be a private one: IPv4-compatible
            // ::/96, NAT64 64:ff9b::/96 and 64:ff9b:1::/48 (within 64:ff9b::/32), Teredo 2001::/32, 6to4 2002::/16.
            var v6 = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast
                     || v6.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0
                     || (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b)
                     || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8)
                     || (v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x00 && v6[3] == 0x00)
                     || (v6[0] == 0x20 && v6[1] == 0x02));
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10                                  // 10.0.0.0/8
                 || (b[0] == 172 && b[1] is >= 16 and <= 31)  // 172.16.0.0/12
                 || (b[0] == 192 && b[1] == 168)              // 192.168.0.0/16
                 || (b[0] == 169 && b[1] == 254)              // 169.254.0.0/16, link-local (cloud metadata)
                 || (b[0] == 100 && b[1] is >= 64 and <= 127) // 100.64.0.0/10, carrier-grade NAT
                 || (b[0] == 198 && b[1] is 18 or 19)         // 198.18.0.0/15, benchmarking
                 || (b[0] == 192 && b[1] == 0 && b[2] == 0)   // 192.0.0.0/24, protocol assignments
                 || (b[0] == 192 && b[1] == 0 && b[2] == 2)   // 192.0.2.0/24, documentation (TEST-NET-1)
                 || (b[0] == 198 && b[1] == 51 && b[2] == 100) // 198.51.100.0/24, documentation (TEST-NET-2)
                 || (b[0] == 203 && b[1] == 0 && b[2] == 113) // 203.0.113.0/24, documentation (TEST-NET-3)
                 || b[0] == 0                                 // 0.0.0.0/8
                 || b[0] >= 224);                             // multicast and reserved
    }
}
