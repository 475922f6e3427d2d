using System.Net;
using System.Net.Http.Headers;

namespace CalendarGrains.Sandbox.Tests.Google.Calendar;

public sealed class CalendarAuthTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NoToken_Answers401LoginRequired_InGooglesShape()
    {
        using var response = await emulators.Http.GetAsync("/google/calendar/v3/calendars/primary/events", Ct);
        var answer = await OAuthAnswer.ReadAsync(response, Ct);

        var error = answer.AssertError(HttpStatusCode.Unauthorized, "required");
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("status").GetString());
        Assert.Equal("Login Required.", error.GetProperty("errors")[0].GetProperty("message").GetString());
        Assert.Equal("Bearer realm=\"https://accounts.google.com/\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task UnknownToken_Answers401AuthError_InGooglesShape()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "unknown-token");

        var answer = await user.SendAsync(HttpMethod.Get, "calendars/primary/events", bearer: "ya29.not-a-token");

        var error = answer.AssertError(HttpStatusCode.Unauthorized, "authError");
        Assert.StartsWith("Request had invalid authentication credentials. Expected OAuth 2 access token", error.GetProperty("message").GetString());
        Assert.Equal("UNAUTHENTICATED", error.GetProperty("status").GetString());
        var item = error.GetProperty("errors")[0];
        Assert.Equal("Invalid Credentials", item.GetProperty("message").GetString());
        Assert.Equal("header", item.GetProperty("locationType").GetString());
        Assert.Equal("Authorization", item.GetProperty("location").GetString());
    }

    [Fact]
    public async Task RevokedUser_TokenThatWorked_Answers401()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "revoked");
        var before = await user.ListAsync();

        emulators.Google.RevokeUser(user.Email);
        var after = await user.ListAsync();
        var freeBusy = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z"));

        before.AssertOk();
        after.AssertError(HttpStatusCode.Unauthorized, "authError");
        freeBusy.AssertError(HttpStatusCode.Unauthorized, "authError");
    }

    [Fact]
    public async Task TokenWithoutCalendarScope_Answers403InsufficientPermissions()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "no-scope", scope: "");

        var list = await user.ListAsync();
        var freeBusy = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z"));

        var error = list.AssertError(HttpStatusCode.Forbidden, "insufficientPermissions");
        Assert.Equal("Request had insufficient authentication scopes.", error.GetProperty("message").GetString());
        Assert.Equal("PERMISSION_DENIED", error.GetProperty("status").GetString());
        Assert.Contains("insufficient_scope", list.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        freeBusy.AssertError(HttpStatusCode.Forbidden, "insufficientPermissions");
    }

    [Fact]
    public async Task ReadOnlyScope_ReadsButCannotInsert()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "read-only", CalendarUser.ReadOnlyScope);

        var list = await user.ListAsync();
        var freeBusy = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z"));
        var insert = await user.InsertAsync(CalendarAnswers.TimedEvent("Nope", "2030-01-01T10:00:00Z", "2030-01-01T11:00:00Z"));

        list.AssertOk();
        freeBusy.AssertOk();
        insert.AssertError(HttpStatusCode.Forbidden, "insufficientPermissions");
        Assert.Empty(emulators.Calendar.GetEvents(user.Email));
    }

    [Fact]
    public async Task FreeBusyScope_QueriesFreeBusyButCannotListEvents()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "free-busy-only", CalendarUser.FreeBusyScope);

        var freeBusy = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z"));
        var list = await user.ListAsync();

        freeBusy.AssertOk();
        list.AssertError(HttpStatusCode.Forbidden, "insufficientPermissions");
    }

    [Fact]
    public async Task EventsScope_InsertsAndLists()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "events-scope", CalendarUser.EventsScope);

        var id = await user.InsertOkAsync(CalendarAnswers.TimedEvent("Allowed", "2030-01-01T10:00:00Z", "2030-01-01T11:00:00Z"));
        var list = await user.ListAsync();

        Assert.Equal([id], list.Ids());
    }

    [Fact]
    public async Task BasicScheme_IsNotABearerToken()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "basic");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/google/calendar/v3/calendars/primary/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", user.AccessToken);

        using var response = await emulators.Http.SendAsync(request, Ct);

        (await OAuthAnswer.ReadAsync(response, Ct)).AssertError(HttpStatusCode.Unauthorized, "required");
    }
}

public sealed class CalendarTokenExpiryTests(FakeClockEmulatorFixture emulators) : IClassFixture<FakeClockEmulatorFixture>
{
    [Fact]
    public async Task ExpiredAccessToken_Answers401()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "expiring");
        var fresh = await user.ListAsync();

        emulators.Clock.Advance(TimeSpan.FromSeconds(3600));
        var expired = await user.ListAsync();

        fresh.AssertOk();
        expired.AssertError(HttpStatusCode.Unauthorized, "authError");
    }
}
