namespace CalendarGrains.Vapi;

/// <summary>
/// Where Vapi's API is: Vapi itself, or the emulator (the same code path, another base URL).
/// Resolved on use, because the sandbox's URL is known only once it listens.
/// </summary>
public interface IVapiEndpoints
{
    /// <summary>The API base, e.g. <c>https://api.vapi.ai</c>; <c>/call</c> is relative to it.</summary>
    Uri BaseUrl { get; }
}

/// <summary>The <c>Vapi:*</c> settings.</summary>
public sealed class VapiOptions
{
    public const string Section = "Vapi";

    public const string DefaultBaseUrl = "https://api.vapi.ai";

    /// <summary>Unset: Vapi itself, or in the sandbox the emulator this process serves.</summary>
    public string? BaseUrl { get; set; }
}

/// <summary>The named HTTP clients of <see cref="VapiClient"/>.</summary>
public static class VapiHttpClientNames
{
    /// <summary><c>POST /call</c>: no automatic retry, ever (a retry can dial a customer twice).</summary>
    public const string CreateCall = "vapi.create-call";

    /// <summary><c>GET /call</c>, <c>GET /call/{id}</c>: safe to retry.</summary>
    public const string Read = "vapi.read";
}
