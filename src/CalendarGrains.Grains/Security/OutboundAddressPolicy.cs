using System.Net;
using System.Net.Sockets;

namespace CalendarGrains.Security;

/// <summary>
/// Where a URL a tenant gave us (its webhook URL, its Nango webhook URL) may make this service
/// connect: public unicast addresses only. Loopback, private (RFC 1918, unique-local), shared
/// (CGNAT), link-local (where the clouds' metadata services live: 169.254.169.254, fd00:ec2::254),
/// multicast, unspecified, documentation, benchmarking and reserved ranges are refused, in IPv4,
/// IPv6 and the IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4).
/// </summary>
/// <remarks>
/// Checked twice: on the URL when the tenant sets it (a literal address or an obviously local
/// name), and on every address its name resolves to when we connect (<see cref="Guard"/>), so a
/// name that resolves elsewhere later (DNS rebinding) still never reaches an internal address.
/// An operator whose receivers are on a private network turns it off (<c>Webhooks:AllowPrivateNetworks</c>).
/// </remarks>
public static class OutboundAddressPolicy
{
    private static readonly IPNetwork[] RefusedV4 =
    [
        IPNetwork.Parse("0.0.0.0/8"), // "this network", unspecified
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"), // shared address space (CGNAT; Alibaba's metadata service)
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), // link-local, cloud metadata services
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), // IETF protocol assignments
        IPNetwork.Parse("192.0.2.0/24"), // documentation
        IPNetwork.Parse("192.88.99.0/24"), // 6to4 relay anycast
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), // benchmarking
        IPNetwork.Parse("198.51.100.0/24"), // documentation
        IPNetwork.Parse("203.0.113.0/24"), // documentation
        IPNetwork.Parse("224.0.0.0/4"), // multicast
        IPNetwork.Parse("240.0.0.0/4"), // reserved, broadcast
    ];

    private static readonly IPNetwork[] RefusedV6 =
    [
        IPNetwork.Parse("::/128"),
        IPNetwork.Parse("::1/128"),
        IPNetwork.Parse("64:ff9b:1::/48"), // local-use NAT64
        IPNetwork.Parse("100::/64"), // discard
        IPNetwork.Parse("2001::/23"), // IETF protocol assignments (Teredo, ORCHID, ...)
        IPNetwork.Parse("2001:db8::/32"), // documentation
        IPNetwork.Parse("3fff::/20"), // documentation
        IPNetwork.Parse("fc00::/7"), // unique-local (AWS's metadata service: fd00:ec2::254)
        IPNetwork.Parse("fe80::/10"), // link-local
        IPNetwork.Parse("fec0::/10"), // site-local (deprecated)
        IPNetwork.Parse("ff00::/8"), // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");

    /// <summary>Names that are local wherever they are resolved.</summary>
    private static readonly string[] LocalNames = ["localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "metadata", "metadata.google.internal", "instance-data"];

    /// <summary>True for a public unicast address, the only kind a tenant's URL may reach.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return !RefusedV4.Any(network => network.Contains(address));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return IsPublic(address.MapToIPv4());
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        if (V4Compatible.Contains(address) || Nat64.Contains(address))
        {
            return !RefusedV6.Any(network => network.Contains(address)) && IsPublic(new IPAddress(bytes[12..]));
        }

        if (SixToFour.Contains(address))
        {
            return IsPublic(new IPAddress(bytes[2..6]));
        }

        return !RefusedV6.Any(network => network.Contains(address));
    }

    /// <summary>
    /// The check when a tenant sets a URL: a literal address must be public, a name must not be
    /// local by itself (<c>localhost</c>, <c>*.localhost</c>, <c>*.local</c>, the metadata names).
    /// Other names are resolved only when we connect.
    /// </summary>
    public static bool IsAllowedUrl(Uri url)
    {
        var host = url.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (IPAddress.TryParse(host, out var literal))
        {
            return IsPublic(literal);
        }

        return host.Length > 0
            && !LocalNames.Contains(host, StringComparer.Ordinal)
            && !host.EndsWith(".localhost", StringComparison.Ordinal)
            && !host.EndsWith(".local", StringComparison.Ordinal)
            && !host.EndsWith(".internal", StringComparison.Ordinal);
    }

    /// <summary>
    /// Makes <paramref name="handler"/> resolve the host itself and connect only to public
    /// addresses; a host with none fails with <see cref="OutboundAddressRefusedException"/> inside
    /// the <see cref="HttpRequestException"/>, before any byte is sent.
    /// </summary>
    /// <remarks>Note: with a proxy configured the check applies to the proxy's address, which is then the operator's to trust.</remarks>
    public static SocketsHttpHandler Guard(SocketsHttpHandler handler)
    {
        handler.ConnectCallback = ConnectToPublicAsync;
        return handler;
    }

    private static async ValueTask<Stream> ConnectToPublicAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new OutboundAddressRefusedException(endpoint.Host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A tenant's URL resolved only to addresses <see cref="OutboundAddressPolicy"/> refuses; nothing was sent.</summary>
public sealed class OutboundAddressRefusedException(string host)
    : IOException($"{host} resolves only to addresses this service does not connect to (private, loopback, link-local or otherwise internal).");
