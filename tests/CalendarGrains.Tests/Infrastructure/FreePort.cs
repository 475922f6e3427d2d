using System.Net;
using System.Net.Sockets;

namespace CalendarGrains.Tests.Infrastructure;

public static class FreePort
{
    // Note: below Linux's ephemeral range (32768–60999). A port the OS hands out for port 0 is
    // also handed to outgoing connections, and this suite opens thousands on loopback: between
    // choosing such a port and binding it, a client socket took it ("address already in use" in
    // a CI run). Ports here are never given to outgoing sockets, and each is given once per run.
    private const int First = 20_000;
    private const int Count = 12_000;
    private static int _next = Random.Shared.Next(Count);

    /// <summary>A loopback port nobody listens on right now, not handed out before in this process.</summary>
    public static int Next()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            if (IsFree(port))
            {
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {First + Count}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
