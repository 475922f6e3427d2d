namespace CalendarGrains.Google;

/// <summary>
/// Where Google's OAuth endpoints are: Google itself, or the emulator (the same code path,
/// other base URLs). Resolved on use, because the sandbox's URLs are known only once it listens.
/// </summary>
public interface IGoogleEndpoints
{
    Uri Authorization { get; }

    Uri Token { get; }

    Uri Revocation { get; }

    Uri UserInfo { get; }

    Uri CalendarApi { get; }
}

/// <summary>The <c>Google:*</c> settings; unset ones fall back to Google (or, in the sandbox, to the emulator).</summary>
public sealed class GoogleOptions
{
    public const string Section = "Google";

    public const string DefaultAuthorizationEndpoint = "https://accounts.google.com/o/oauth2/v2/auth";
    public const string DefaultTokenEndpoint = "https://oauth2.googleapis.com/token";
    public const string DefaultRevocationEndpoint = "https://oauth2.googleapis.com/revoke";
    public const string DefaultUserInfoEndpoint = "https://openidconnect.googleapis.com/v1/userinfo";
    public const string DefaultCalendarApiBaseUrl = "https://www.googleapis.com/calendar/v3";

    public string? AuthorizationEndpoint { get; set; }

    public string? TokenEndpoint { get; set; }

    public string? RevocationEndpoint { get; set; }

    public string? UserInfoEndpoint { get; set; }

    public string? CalendarApiBaseUrl { get; set; }
}
