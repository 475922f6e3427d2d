namespace CalendarGrains.Sandbox.Tests.Google;

/// <summary>What an app puts in its redirect to Google; the defaults are what our service sends.</summary>
public sealed record AuthorizeOptions
{
    public const string CalendarScope = "https://www.googleapis.com/auth/calendar";

    public string Scope { get; init; } = $"openid email {CalendarScope}";

    public string? AccessType { get; init; } = "offline";

    public string? Prompt { get; init; } = "consent";

    public string? State { get; init; } = "state-123";

    public string RedirectUri { get; init; } = GoogleTestClient.DefaultRedirectUri;

    public bool UsePkce { get; init; } = true;

    public bool IncludeGrantedScopes { get; init; }

    public string? LoginHint { get; init; }
}
