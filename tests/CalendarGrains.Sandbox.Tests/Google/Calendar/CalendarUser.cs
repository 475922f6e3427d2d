using System.Net.Http.Headers;
using System.Text;

namespace CalendarGrains.Sandbox.Tests.Google.Calendar;

/// <summary>
/// A Google account that consented to an app, calling the Calendar API over raw HTTP with its access
/// token. Each test makes its own (a fresh email), so tests never see each other's calendars.
/// </summary>
public sealed class CalendarUser
{
    public const string CalendarScope = "https://www.googleapis.com/auth/calendar";
    public const string ReadOnlyScope = "https://www.googleapis.com/auth/calendar.readonly";
    public const string FreeBusyScope = "https://www.googleapis.com/auth/calendar.freebusy";
    public const string EventsScope = "https://www.googleapis.com/auth/calendar.events";

    private readonly EmulatorFixture _emulators;

    private CalendarUser(EmulatorFixture emulators, string email, string accessToken)
    {
        _emulators = emulators;
        Email = email;
        AccessToken = accessToken;
    }

    public string Email { get; }

    public string AccessToken { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Consents (with <paramref name="scope"/>) as a fresh account named after <paramref name="name"/>.</summary>
    public static async Task<CalendarUser> ConnectAsync(EmulatorFixture emulators, string name, string scope = CalendarScope)
    {
        var email = $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)] + "@example.com";
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync(email, new AuthorizeOptions { Scope = $"openid email {scope}".Trim() });
        return new CalendarUser(emulators, email, tokens.AccessToken);
    }

    public Task<OAuthAnswer> FreeBusyAsync(string json) => SendAsync(HttpMethod.Post, "freeBusy", json);

    public Task<OAuthAnswer> InsertAsync(string json, string calendarId = "primary", string query = "") =>
        SendAsync(HttpMethod.Post, $"calendars/{Uri.EscapeDataString(calendarId)}/events{query}", json);

    public Task<OAuthAnswer> ListAsync(string query = "", string calendarId = "primary") =>
        SendAsync(HttpMethod.Get, $"calendars/{Uri.EscapeDataString(calendarId)}/events{query}");

    public Task<OAuthAnswer> GetAsync(string eventId, string calendarId = "primary", string query = "") =>
        SendAsync(HttpMethod.Get, $"calendars/{Uri.EscapeDataString(calendarId)}/events/{eventId}{query}");

    public Task<OAuthAnswer> DeleteAsync(string eventId, string calendarId = "primary") =>
        SendAsync(HttpMethod.Delete, $"calendars/{Uri.EscapeDataString(calendarId)}/events/{eventId}");

    /// <summary>Inserts and answers the new event's id; fails the test unless Google said 200.</summary>
    public async Task<string> InsertOkAsync(string json)
    {
        var answer = await InsertAsync(json);
        Assert.True(answer.Status == System.Net.HttpStatusCode.OK, $"Insert failed: {answer.Body}");
        return answer.Text("id")!;
    }

    /// <summary>A Calendar API call relative to <c>/google/calendar/v3/</c>; the token is this user's unless another is given.</summary>
    public async Task<OAuthAnswer> SendAsync(HttpMethod method, string path, string? json = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(method, "/google/calendar/v3/" + path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer ?? AccessToken);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _emulators.Http.SendAsync(request, Ct);
        return await OAuthAnswer.ReadAsync(response, Ct);
    }
}
