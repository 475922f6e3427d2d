namespace CalendarGrains.Silo.Auth;

/// <summary>
/// Endpoint metadata: this route is not ours to authenticate (e.g. an embedded emulator, whose
/// Bearer tokens are the emulated provider's), so the API-key handler does not look at its requests.
/// </summary>
public sealed class SkipApiKeyAuthentication
{
    public static SkipApiKeyAuthentication Instance { get; } = new();

    private SkipApiKeyAuthentication()
    {
    }
}
