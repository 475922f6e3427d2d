using System.Collections.Concurrent;

namespace CalendarGrains.Sandbox.Google;

/// <summary>The Google emulator's state (placeholder until the emulator lands).</summary>
public sealed class GoogleEmulator
{
    private readonly ConcurrentDictionary<string, string> _clients = new(StringComparer.Ordinal);

    public int ClientCount => _clients.Count;

    /// <summary>Registers an OAuth client (what a developer does in the Google Cloud console).</summary>
    public void RegisterClient(string clientId, string clientSecret) => _clients[clientId] = clientSecret;
}
