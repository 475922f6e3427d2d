using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CalendarGrains.Sandbox.Tests.Google.Calendar;

/// <summary>events.patch and events.update, extended properties and their filters, If-Match, calendars.get.</summary>
public sealed class EventChangesTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Patch_MergesIntoTheEvent_KeepsWhatItDoesNotName_AndBumpsTheSequenceWhenTimesMove()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "patch");
        var id = await user.InsertOkAsync(CalendarAnswers.TimedEvent("Standup", "2030-03-01T09:00:00Z", "2030-03-01T09:15:00Z", "UTC",
            ""","location":"Room 1","extendedProperties":{"private":{"a":"1","b":"2"}}"""));

        var patched = await user.SendAsync(HttpMethod.Patch, $"calendars/primary/events/{id}",
            """{"start":{"dateTime":"2030-03-01T10:00:00Z"},"end":{"dateTime":"2030-03-01T10:15:00Z"},"extendedProperties":{"private":{"b":null,"c":"3"}}}""");

        patched.AssertOk();
        Assert.Equal("Standup", patched.Text("summary"));
        Assert.Equal("Room 1", patched.Text("location"));
        Assert.Equal("2030-03-01T10:00:00Z", patched.Body.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("UTC", patched.Body.GetProperty("start").GetProperty("timeZone").GetString());
        Assert.Equal(1, patched.Body.GetProperty("sequence").GetInt32());
        var properties = patched.Body.GetProperty("extendedProperties").GetProperty("private");
        Assert.Equal("1", properties.GetProperty("a").GetString());
        Assert.False(properties.TryGetProperty("b", out _));
        Assert.Equal("3", properties.GetProperty("c").GetString());
    }

    /// <summary>Google deep-merges start/end: a timed event becomes all-day only when the patch nulls its dateTime.</summary>
    [Fact]
    public async Task Patch_ToAllDay_WithoutNullingDateTime_IsInvalidStartTime_WithTheNull_Works()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "patch-allday");
        var id = await user.InsertOkAsync(CalendarAnswers.TimedEvent("Trip", "2030-03-01T09:00:00Z", "2030-03-01T10:00:00Z"));

        var kept = await user.SendAsync(HttpMethod.Patch, $"calendars/primary/events/{id}", """{"start":{"date":"2030-03-02"},"end":{"date":"2030-03-03"}}""");
        var nulled = await user.SendAsync(HttpMethod.Patch, $"calendars/primary/events/{id}",
            """{"start":{"date":"2030-03-02","dateTime":null},"end":{"date":"2030-03-03","dateTime":null}}""");

        Assert.Equal("Invalid start time.", kept.AssertError(HttpStatusCode.BadRequest, "badRequest").GetProperty("message").GetString());
        nulled.AssertOk();
        Assert.Equal("2030-03-02", nulled.Body.GetProperty("start").GetProperty("date").GetString());
        Assert.False(nulled.Body.GetProperty("start").TryGetProperty("dateTime", out _));
    }

    [Fact]
    public async Task Update_ReplacesTheWritableMembers_AndAnUnknownEventIs404()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "put");
        var id = await user.InsertOkAsync(CalendarAnswers.TimedEvent("Old", "2030-03-01T09:00:00Z", "2030-03-01T10:00:00Z", extra: ""","location":"Room 1" """));

        var updated = await user.SendAsync(HttpMethod.Put, $"calendars/primary/events/{id}", CalendarAnswers.TimedEvent("New", "2030-03-01T11:00:00Z", "2030-03-01T12:00:00Z"));
        var missingStart = await user.SendAsync(HttpMethod.Put, $"calendars/primary/events/{id}", """{"summary":"x","end":{"dateTime":"2030-03-01T12:00:00Z"}}""");
        var unknown = await user.SendAsync(HttpMethod.Put, "calendars/primary/events/nosuchevent1", CalendarAnswers.TimedEvent("x", "2030-03-01T11:00:00Z", "2030-03-01T12:00:00Z"));

        updated.AssertOk();
        Assert.Equal("New", updated.Text("summary"));
        Assert.False(updated.Body.TryGetProperty("location", out _));
        Assert.Equal(id, updated.Text("id"));
        missingStart.AssertError(HttpStatusCode.BadRequest, "required");
        unknown.AssertError(HttpStatusCode.NotFound, "notFound");
    }

    [Fact]
    public async Task List_FiltersByPrivateExtendedProperties_AndShowsCancelledOnesOnlyWithShowDeleted()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "filter");
        var marked = await user.InsertOkAsync(CalendarAnswers.TimedEvent("Marked", "2030-03-01T09:00:00Z", "2030-03-01T10:00:00Z", extra: ""","extendedProperties":{"private":{"src":"tools","k":"v"}}"""));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Other", "2030-03-01T09:00:00Z", "2030-03-01T10:00:00Z", extra: ""","extendedProperties":{"private":{"src":"people"}}"""));

        var both = await user.ListAsync("?privateExtendedProperty=src%3Dtools&privateExtendedProperty=k%3Dv");
        var none = await user.ListAsync("?privateExtendedProperty=src%3Dtools&privateExtendedProperty=k%3Dw");
        var malformed = await user.ListAsync("?privateExtendedProperty=novalue");
        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync(marked)).Status);
        var hidden = await user.ListAsync("?privateExtendedProperty=src%3Dtools");
        var shown = await user.ListAsync("?privateExtendedProperty=src%3Dtools&showDeleted=true");

        Assert.Equal(["Marked"], both.Summaries());
        Assert.Empty(none.Summaries());
        malformed.AssertError(HttpStatusCode.BadRequest, "invalid");
        Assert.Empty(hidden.Summaries());
        Assert.Equal([marked], shown.Ids());
    }

    [Fact]
    public async Task IfMatch_WithAStaleEtag_Is412_AndWithTheCurrentOneChanges()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "ifmatch");
        var inserted = await user.InsertAsync(CalendarAnswers.TimedEvent("Etag", "2030-03-01T09:00:00Z", "2030-03-01T10:00:00Z"));
        var id = inserted.Text("id")!;
        var etag = inserted.Text("etag")!;
        (await user.SendAsync(HttpMethod.Patch, $"calendars/primary/events/{id}", """{"summary":"Changed"}""")).AssertOk();

        var stale = await PatchWithIfMatchAsync(user, id, etag);
        var current = await PatchWithIfMatchAsync(user, id, (await user.GetAsync(id)).Text("etag")!);

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale);
        Assert.Equal(HttpStatusCode.OK, current);
    }

    [Fact]
    public async Task CalendarsGet_AnswersTheCalendarsOwnTimeZone()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "zone");
        emulators.Calendar.SetTimeZone(user.Email, "Europe/Berlin");

        var primary = await user.SendAsync(HttpMethod.Get, "calendars/primary");
        var someoneElses = await user.SendAsync(HttpMethod.Get, "calendars/someone@example.com");

        primary.AssertOk();
        Assert.Equal("calendar#calendar", primary.Text("kind"));
        Assert.Equal(user.Email, primary.Text("id"));
        Assert.Equal("Europe/Berlin", primary.Text("timeZone"));
        someoneElses.AssertError(HttpStatusCode.NotFound, "notFound");
    }

    private async Task<HttpStatusCode> PatchWithIfMatchAsync(CalendarUser user, string id, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/google/calendar/v3/calendars/primary/events/{id}")
        {
            Content = new StringContent("""{"summary":"Again"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        using var response = await emulators.Http.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
