using System.Net;
using System.Net.Sockets;

namespace Challenge.Contracts.Events;

/// <summary>
/// Where a webhook may point: an <c>https://</c> address whose every resolved address is public, so that no
/// subscription turns the dispatcher into a client of this deployment's own network (loopback, private, link-local:
/// a cloud's metadata service among them). Checked when subscribing, and again at every connection the dispatcher
/// makes, after name resolution (a name may resolve elsewhere later). With <c>allowLocal</c> (Development, and the
/// tests' local receivers), <c>http://</c> and any address are allowed.
/// </summary>
public static class WebhookAddresses
{
    public const int MaxUrlLength = 2048;

    /// <summary>Why <paramref name="url"/> may not be subscribed, or null when it may.</summary>
    public static async Task<string?> RefusalAsync(string? url, bool allowLocal, CancellationToken cancellationToken)
    {
        if (url is not { Length: > 0 and <= MaxUrlLength } || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo) || uri.Fragment.Length > 0)
        {
            return $"url must be an absolute https:// address of at most {MaxUrlLength} characters, without credentials or fragment.";
        }
        if (!SchemeAllowed(uri, allowLocal))
        {
            return "url must be an https:// address.";
        }
        if (allowLocal)
        {
            return null;
        }
        try
        {
            return await ResolvePublicAsync(uri.IdnHost, cancellationToken) is null
                ? $"url's host '{uri.Host}' resolves to a loopback, private or link-local address; a webhook must point at a public one."
                : null;
        }
        catch (SocketException)
        {
            return $"url's host '{uri.Host}' does not resolve.";
        }
    }

    /// <summary>Whether a webhook may be sent to <paramref name="url"/>'s scheme: <c>https</c>, or <c>http</c> too with <paramref name="allowLocal"/>.</summary>
    public static bool SchemeAllowed(Uri url, bool allowLocal) => url.Scheme == Uri.UriSchemeHttps || (allowLocal && url.Scheme == Uri.UriSchemeHttp);

    /// <summary>What <paramref name="host"/> resolves to (itself, for an address) when every one of them is public; else null.</summary>
    public static async Task<IPAddress[]?> ResolvePublicAsync(string host, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        return addresses.Length > 0 && addresses.All(IsPublic) ? addresses : null;
    }

    /// <summary>Whether an address is one of the internet's: not loopback, private, link-local, unspecified, multicast or shared.</summary>
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
            // Link-local fe80::/10, site-local, unique local fc00::/7 (private), multicast ff00::/8; and the prefixes that
            // carry an IPv4 address (NAT64 64:ff9b::/96, 6to4 2002::/16), which may be a private one.
            var v6 = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast
                     || (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b) || (v6[0] == 0x20 && v6[1] == 0x02));
        }
        var b = address.GetAddressBytes();
        return !(b[0] == 10                                  // 10.0.0.0/8
                 || (b[0] == 172 && b[1] is >= 16 and <= 31)  // 172.16.0.0/12
                 || (b[0] == 192 && b[1] == 168)              // 192.168.0.0/16
                 || (b[0] == 169 && b[1] == 254)              // 169.254.0.0/16, link-local (cloud metadata)
                 || (b[0] == 100 && b[1] is >= 64 and <= 127) // 100.64.0.0/10, carrier-grade NAT
                 || (b[0] == 198 && b[1] is 18 or 19)         // 198.18.0.0/15, benchmarking
                 || (b[0] == 192 && b[1] == 0 && b[2] == 0)   // 192.0.0.0/24, protocol assignments
                 || b[0] == 0                                 // 0.0.0.0/8
                 || b[0] >= 224);                             // multicast and reserved
    }
}
