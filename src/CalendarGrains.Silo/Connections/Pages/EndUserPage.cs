namespace CalendarGrains.Silo.Connections.Pages;

/// <summary>
/// A page an end user sees in the connect flow: whose platform, what happened in plain words, and
/// the ways on (<see cref="ContinueUrl"/> is the way forward, to Google's consent). Every member is plain text (or a URL); <see cref="EndUserPageResult"/> encodes it.
/// </summary>
public sealed record EndUserPage(
    int Status,
    EndUserPageTone Tone,
    string Heading,
    string Message,
    string? PlatformName = null,
    string? BackUrl = null,
    string? RetryUrl = null,
    string? Detail = null,
    string? ContinueUrl = null);

public enum EndUserPageTone
{
    Success,
    Problem,
}
