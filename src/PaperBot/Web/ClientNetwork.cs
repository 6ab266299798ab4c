using System.Net;
using System.Net.Sockets;

namespace PaperBot.Web;

/// <summary>
/// Whom a per-client limit counts: an IPv4 address, or an IPv6 address's /64. An IPv6 client usually holds a whole /64;
/// counted address by address, each of its addresses would bring a fresh allowance.
/// </summary>
public static class ClientNetwork
{
    public static string Of(IPAddress? address)
    {
        if (address is null)
            return "local";
        if (address.IsIPv4MappedToIPv6)
            return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
