using System.Net;
using CalendarGrains.Sandbox.Google.Calendar;

namespace CalendarGrains.Sandbox.Tests.Google.Calendar;

public sealed class FreeBusyTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    private static CalendarEventSeed Timed(string summary, string start, string end) =>
        new(summary, CalendarEventTime.At(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture)), CalendarEventTime.At(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Busy_MergesOverlappingAndTouchingEvents_AndClipsToTheWindow()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "merge");
        var calendar = emulators.Calendar;
        calendar.AddEvent(user.Email, Timed("Starts before the window", "2030-01-07T07:00:00Z", "2030-01-07T09:30:00Z"));
        calendar.AddEvent(user.Email, Timed("Overlaps the first", "2030-01-07T09:00:00Z", "2030-01-07T10:00:00Z"));
        calendar.AddEvent(user.Email, Timed("Touches the second", "2030-01-07T10:00:00Z", "2030-01-07T10:30:00Z"));
        calendar.AddEvent(user.Email, Timed("Inside the first block", "2030-01-07T08:15:00Z", "2030-01-07T08:45:00Z"));
        calendar.AddEvent(user.Email, Timed("Separate", "2030-01-07T13:00:00Z", "2030-01-07T14:00:00Z"));
        calendar.AddEvent(user.Email, Timed("Runs past the window", "2030-01-07T16:30:00Z", "2030-01-07T19:00:00Z"));
        calendar.AddEvent(user.Email, Timed("After the window", "2030-01-07T18:00:00Z", "2030-01-07T19:00:00Z"));
        calendar.AddEvent(user.Email, Timed("Free time", "2030-01-07T11:00:00Z", "2030-01-07T12:00:00Z") with { Transparent = true });

        var answer = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-01-07T08:00:00Z", "2030-01-07T17:00:00Z"));

        answer.AssertOk();
        Assert.Equal("calendar#freeBusy", answer.Text("kind"));
        Assert.Equal("2030-01-07T08:00:00.000Z", answer.Text("timeMin"));
        Assert.Equal("2030-01-07T17:00:00.000Z", answer.Text("timeMax"));
        Assert.Equal(
            [
                ("2030-01-07T08:00:00Z", "2030-01-07T10:30:00Z"),
                ("2030-01-07T13:00:00Z", "2030-01-07T14:00:00Z"),
                ("2030-01-07T16:30:00Z", "2030-01-07T17:00:00Z"),
            ],
            answer.Busy());
    }

    [Fact]
    public async Task Busy_BlockGivenInNewYork_IsWrittenInTheAskedZone()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "zones");
        // A wall-clock time in New York: 09:00-10:00 EST is 14:00-15:00 UTC, 15:00-16:00 in Berlin.
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Standup", "2030-02-05T09:00:00", "2030-02-05T10:00:00", "America/New_York"));
        // 12 March 2030: New York is already on daylight time (UTC-4), Berlin not yet (UTC+1).
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("After US DST", "2030-03-12T09:00:00", "2030-03-12T09:30:00", "America/New_York"));

        var berlin = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-02-01T00:00:00+01:00", "2030-03-31T00:00:00+01:00", "Europe/Berlin"));
        var utc = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-02-01T00:00:00Z", "2030-03-31T00:00:00Z"));

        Assert.Equal(
            [("2030-02-05T15:00:00+01:00", "2030-02-05T16:00:00+01:00"), ("2030-03-12T14:00:00+01:00", "2030-03-12T14:30:00+01:00")],
            berlin.Busy());
        Assert.Equal(
            [("2030-02-05T14:00:00Z", "2030-02-05T15:00:00Z"), ("2030-03-12T13:00:00Z", "2030-03-12T13:30:00Z")],
            utc.Busy());
    }

    [Fact]
    public async Task Busy_WindowWithOffsets_ClipsAtTheSameInstant()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "window-offset");
        emulators.Calendar.AddEvent(user.Email, Timed("Long", "2030-01-07T06:00:00Z", "2030-01-07T20:00:00Z"));

        // 09:00 in New York (UTC-5) is 14:00 UTC.
        var answer = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-01-07T09:00:00-05:00", "2030-01-07T10:00:00-05:00", "America/New_York"));

        Assert.Equal([("2030-01-07T09:00:00-05:00", "2030-01-07T10:00:00-05:00")], answer.Busy());
        Assert.Equal("2030-01-07T14:00:00.000Z", answer.Text("timeMin"));
    }

    [Fact]
    public async Task Busy_AllDayEvent_SpansTheDayInTheCalendarsZone()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "all-day");
        emulators.Calendar.SetTimeZone(user.Email, "Europe/Berlin");
        await user.InsertOkAsync("""{"summary":"Holiday","start":{"date":"2030-06-01"},"end":{"date":"2030-06-02"}}""");

        var answer = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-05-31T00:00:00Z", "2030-06-03T00:00:00Z"));

        Assert.Equal([("2030-05-31T22:00:00Z", "2030-06-01T22:00:00Z")], answer.Busy());
    }

    [Fact]
    public async Task Busy_IgnoresDeletedEvents()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "deleted-busy");
        var id = await user.InsertOkAsync(CalendarAnswers.TimedEvent("Cancelled", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Kept", "2030-01-07T12:00:00Z", "2030-01-07T13:00:00Z"));

        Assert.Equal(HttpStatusCode.NoContent, (await user.DeleteAsync(id)).Status);
        var answer = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-01-07T00:00:00Z", "2030-01-08T00:00:00Z"));

        Assert.Equal([("2030-01-07T12:00:00Z", "2030-01-07T13:00:00Z")], answer.Busy());
    }

    [Fact]
    public async Task Items_OwnEmailOtherAccountAndUnknown_EachAnsweredAsGoogleDoes()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "items");
        var other = await CalendarUser.ConnectAsync(emulators, "other");
        emulators.Calendar.AddEvent(user.Email, Timed("Mine", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"));
        emulators.Calendar.AddEvent(other.Email, Timed("Theirs", "2030-01-07T12:00:00Z", "2030-01-07T13:00:00Z"));

        var answer = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery(
            "2030-01-07T00:00:00Z", "2030-01-08T00:00:00Z", null, "primary", user.Email, other.Email, "nobody@example.com"));

        answer.AssertOk();
        Assert.Equal([("2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z")], answer.Busy("primary"));
        Assert.Equal([("2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z")], answer.Busy(user.Email));
        foreach (var hidden in new[] { other.Email, "nobody@example.com" })
        {
            var calendar = answer.Body.GetProperty("calendars").GetProperty(hidden);
            Assert.Empty(calendar.GetProperty("busy").EnumerateArray());
            var error = Assert.Single(calendar.GetProperty("errors").EnumerateArray());
            Assert.Equal("global", error.GetProperty("domain").GetString());
            Assert.Equal("notFound", error.GetProperty("reason").GetString());
        }
    }

    [Theory]
    [InlineData("""{"timeMin":"2030-01-02T00:00:00Z","timeMax":"2030-01-01T00:00:00Z","items":[{"id":"primary"}]}""", "timeRangeEmpty")]
    [InlineData("""{"timeMin":"2030-01-01T00:00:00Z","timeMax":"2030-01-01T00:00:00Z","items":[{"id":"primary"}]}""", "timeRangeEmpty")]
    [InlineData("""{"timeMax":"2030-01-01T00:00:00Z","items":[{"id":"primary"}]}""", "required")]
    [InlineData("""{"timeMin":"2030-01-01T00:00:00Z","items":[{"id":"primary"}]}""", "required")]
    [InlineData("""{"timeMin":"2030-01-01T00:00:00","timeMax":"2030-01-02T00:00:00Z"}""", "badRequest")]
    [InlineData("""{"timeMin":"2030-01-01T00:00:00Z","timeMax":"2030-01-02T00:00:00Z","timeZone":"Mars/Olympus"}""", "invalid")]
    [InlineData("""{"timeMin":""", "parseError")]
    public async Task InvalidQuery_Answers400(string body, string reason)
    {
        var user = await CalendarUser.ConnectAsync(emulators, "invalid-query");

        var answer = await user.FreeBusyAsync(body);

        answer.AssertError(HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task NoItems_AnswersNoCalendars()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "no-items");

        var answer = await user.FreeBusyAsync("""{"timeMin":"2030-01-01T00:00:00Z","timeMax":"2030-01-02T00:00:00Z"}""");

        answer.AssertOk();
        Assert.Empty(answer.Body.GetProperty("calendars").EnumerateObject());
    }
}
