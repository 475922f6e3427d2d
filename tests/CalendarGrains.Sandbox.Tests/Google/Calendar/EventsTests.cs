using System.Net;
using System.Text.Json;

namespace CalendarGrains.Sandbox.Tests.Google.Calendar;

public sealed class EventsTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Insert_AnswersTheEventAsGoogleDoes()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "insert");

        var answer = await user.InsertAsync(
            CalendarAnswers.TimedEvent(
                "Dentist",
                "2030-02-05T09:00:00-05:00",
                "2030-02-05T09:30:00-05:00",
                "America/New_York",
                ""","description":"Cleaning","location":"Main St","attendees":[{"email":"dr@example.com","displayName":"Dr"}]"""),
            query: "?sendUpdates=all");

        answer.AssertOk();
        var e = answer.Body;
        Assert.Equal("calendar#event", answer.Text("kind"));
        Assert.Equal("confirmed", answer.Text("status"));
        Assert.Equal("Dentist", answer.Text("summary"));
        Assert.Equal("Cleaning", answer.Text("description"));
        Assert.Equal("Main St", answer.Text("location"));
        Assert.Matches("^[a-v0-9]{26}$", answer.Text("id"));
        Assert.Equal(answer.Text("id") + "@google.com", answer.Text("iCalUID"));
        Assert.StartsWith("https://www.google.com/calendar/event?eid=", answer.Text("htmlLink"));
        Assert.Matches("^\"[0-9]+\"$", answer.Text("etag"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", answer.Text("created"));
        Assert.Equal(answer.Text("created"), answer.Text("updated"));
        Assert.Equal(user.Email, e.GetProperty("creator").GetProperty("email").GetString());
        Assert.True(e.GetProperty("organizer").GetProperty("self").GetBoolean());
        Assert.Equal("2030-02-05T09:00:00-05:00", e.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("America/New_York", e.GetProperty("start").GetProperty("timeZone").GetString());
        Assert.Equal("2030-02-05T09:30:00-05:00", e.GetProperty("end").GetProperty("dateTime").GetString());
        var attendee = Assert.Single(e.GetProperty("attendees").EnumerateArray());
        Assert.Equal("dr@example.com", attendee.GetProperty("email").GetString());
        Assert.Equal("needsAction", attendee.GetProperty("responseStatus").GetString());
        var stored = Assert.Single(emulators.Calendar.GetEvents(user.Email));
        Assert.Equal("all", stored.SendUpdates);
        Assert.Equal(DateTimeOffset.Parse("2030-02-05T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), stored.Start.DateTime);
    }

    [Fact]
    public async Task Insert_WallClockTimeWithZone_IsWrittenWithThatZonesOffset()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "wall-clock");

        // 3 August: Berlin is on summer time (UTC+2).
        var answer = await user.InsertAsync(CalendarAnswers.TimedEvent("Lunch", "2030-08-03T12:00:00", "2030-08-03T13:00:00", "Europe/Berlin"));

        answer.AssertOk();
        Assert.Equal("2030-08-03T12:00:00+02:00", answer.Body.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.Equal("Europe/Berlin", answer.Body.GetProperty("start").GetProperty("timeZone").GetString());
    }

    [Fact]
    public async Task Insert_UtcInstantWithoutZone_IsWrittenInTheCalendarsZone()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "calendar-zone");
        emulators.Calendar.SetTimeZone(user.Email, "Asia/Tokyo");

        var answer = await user.InsertAsync(CalendarAnswers.TimedEvent("Call", "2030-01-10T01:00:00Z", "2030-01-10T02:00:00Z"));
        var list = await user.ListAsync();

        Assert.Equal("2030-01-10T10:00:00+09:00", answer.Body.GetProperty("start").GetProperty("dateTime").GetString());
        Assert.False(answer.Body.GetProperty("start").TryGetProperty("timeZone", out _));
        Assert.Equal("Asia/Tokyo", list.Text("timeZone"));
    }

    [Fact]
    public async Task Insert_AllDayEvent_KeepsItsDates()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "all-day-insert");

        var answer = await user.InsertAsync("""{"summary":"Trip","start":{"date":"2030-06-01"},"end":{"date":"2030-06-04"},"transparency":"transparent"}""");

        answer.AssertOk();
        Assert.Equal("2030-06-01", answer.Body.GetProperty("start").GetProperty("date").GetString());
        Assert.False(answer.Body.GetProperty("start").TryGetProperty("dateTime", out _));
        Assert.Equal("2030-06-04", answer.Body.GetProperty("end").GetProperty("date").GetString());
        Assert.Equal("transparent", answer.Text("transparency"));
    }

    [Theory]
    [InlineData("""{"summary":"x","start":{"dateTime":"2030-01-01T11:00:00Z"},"end":{"dateTime":"2030-01-01T10:00:00Z"}}""", "timeRangeEmpty", "The specified time range is empty.")]
    [InlineData("""{"summary":"x","start":{"date":"2030-01-01"},"end":{"date":"2030-01-01"}}""", "timeRangeEmpty", "The specified time range is empty.")]
    [InlineData("""{"summary":"x","end":{"dateTime":"2030-01-01T10:00:00Z"}}""", "required", "Missing start time.")]
    [InlineData("""{"summary":"x","start":{"dateTime":"2030-01-01T10:00:00Z"}}""", "required", "Missing end time.")]
    [InlineData("""{"summary":"x","start":{},"end":{"dateTime":"2030-01-01T10:00:00Z"}}""", "required", "Missing start time.")]
    [InlineData("""{"summary":"x","start":{"dateTime":"2030-01-01T10:00:00"},"end":{"dateTime":"2030-01-01T11:00:00"}}""", "required", "Missing time zone definition for start time.")]
    [InlineData("""{"summary":"x","start":{"dateTime":"2030-01-01T10:00:00Z","timeZone":"Nowhere/Town"},"end":{"dateTime":"2030-01-01T11:00:00Z"}}""", "invalid", "Invalid time zone definition for start time.")]
    [InlineData("""{"summary":"x","start":{"date":"2030-01-01"},"end":{"dateTime":"2030-01-01T11:00:00Z"}}""", "badRequest", "Start and end times must either both be date or both be dateTime.")]
    [InlineData("""{"summary":"x","start":{"dateTime":"tomorrow"},"end":{"dateTime":"2030-01-01T11:00:00Z"}}""", "badRequest", "Invalid start time.")]
    [InlineData("""{"id":"UPPER-case","start":{"dateTime":"2030-01-01T10:00:00Z"},"end":{"dateTime":"2030-01-01T11:00:00Z"}}""", "invalid", "Invalid resource id value.")]
    [InlineData("""{"start":{"dateTime":"2030-01-01T10:00:00Z"},"end":{"dateTime":"2030-01-01T11:00:00Z"},"attendees":[{"displayName":"No email"}]}""", "required", "Missing attendee email.")]
    [InlineData("""{"summary":""", "parseError", "Parse Error")]
    public async Task Insert_Invalid_Answers400AndStoresNothing(string body, string reason, string message)
    {
        var user = await CalendarUser.ConnectAsync(emulators, "invalid-insert");

        var answer = await user.InsertAsync(body);

        var error = answer.AssertError(HttpStatusCode.BadRequest, reason);
        Assert.Equal(message, error.GetProperty("message").GetString());
        Assert.Empty(emulators.Calendar.GetEvents(user.Email));
    }

    [Fact]
    public async Task Insert_UnknownSendUpdates_Answers400()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "send-updates");

        var answer = await user.InsertAsync(CalendarAnswers.TimedEvent("x", "2030-01-01T10:00:00Z", "2030-01-01T11:00:00Z"), query: "?sendUpdates=everyone");

        answer.AssertError(HttpStatusCode.BadRequest, "invalid");
    }

    [Fact]
    public async Task Insert_ClientChosenId_IsKept_AndASecondInsertIsADuplicate()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "client-id");
        var body = CalendarAnswers.TimedEvent("Once", "2030-01-01T10:00:00Z", "2030-01-01T11:00:00Z", extra: ""","id":"booking0001" """);

        var first = await user.InsertAsync(body);
        var second = await user.InsertAsync(body);

        first.AssertOk();
        Assert.Equal("booking0001", first.Text("id"));
        second.AssertError(HttpStatusCode.Conflict, "duplicate");
        Assert.Single(emulators.Calendar.GetEvents(user.Email));
    }

    [Fact]
    public async Task List_OrderByStartTime_SortsByStartAndFiltersByExclusiveBounds()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "order");
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("C", "2030-01-07T15:00:00Z", "2030-01-07T16:00:00Z"));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("A", "2030-01-07T04:00:00-05:00", "2030-01-07T05:00:00-05:00"));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("B", "2030-01-07T12:00:00+01:00", "2030-01-07T13:00:00+01:00"));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Ends at timeMin", "2030-01-07T08:00:00Z", "2030-01-07T09:00:00Z"));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Starts at timeMax", "2030-01-07T17:00:00Z", "2030-01-07T18:00:00Z"));

        var ordered = await user.ListAsync("?timeMin=2030-01-07T09:00:00Z&timeMax=2030-01-07T17:00:00Z&singleEvents=true&orderBy=startTime");
        var inserted = await user.ListAsync("?timeMin=2030-01-07T09:00:00Z&timeMax=2030-01-07T17:00:00Z");

        ordered.AssertOk();
        Assert.Equal("calendar#events", ordered.Text("kind"));
        Assert.Equal(user.Email, ordered.Text("summary"));
        Assert.Equal("UTC", ordered.Text("timeZone"));
        Assert.Equal(["A", "B", "C"], ordered.Summaries());
        Assert.Equal(["C", "A", "B"], inserted.Summaries());
        Assert.False(ordered.Body.TryGetProperty("nextPageToken", out _));
    }

    [Fact]
    public async Task List_OrderByStartTimeWithoutSingleEvents_Answers400()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "order-recurring");

        var answer = await user.ListAsync("?orderBy=startTime");

        var error = answer.AssertError(HttpStatusCode.BadRequest, "badRequest");
        Assert.Equal("The requested ordering is not available for the particular query.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_Pages_VisitEveryEventOnce_EvenWhenOneIsInsertedBetweenPages()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "paging");
        for (var hour = 10; hour < 15; hour++)
        {
            await user.InsertOkAsync(CalendarAnswers.TimedEvent($"E{hour}", $"2030-01-07T{hour}:00:00Z", $"2030-01-07T{hour}:30:00Z"));
        }

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await user.ListAsync($"?singleEvents=true&orderBy=startTime&maxResults=2{(token is null ? "" : "&pageToken=" + Uri.EscapeDataString(token))}");
            page.AssertOk();
            seen.AddRange(page.Summaries());
            token = page.Text("nextPageToken");
            if (pages++ == 0)
            {
                // An event earlier than the next page must not shift what the next pages hold.
                await user.InsertOkAsync(CalendarAnswers.TimedEvent("Early", "2030-01-07T08:00:00Z", "2030-01-07T08:30:00Z"));
            }
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(["E10", "E11", "E12", "E13", "E14"], seen);
    }

    [Fact]
    public async Task List_PageTokenOfAnotherOrder_Answers400()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "token-order");
        for (var i = 0; i < 3; i++)
        {
            await user.InsertOkAsync(CalendarAnswers.TimedEvent($"E{i}", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"));
        }

        var first = await user.ListAsync("?maxResults=1&singleEvents=true&orderBy=startTime");
        var token = first.Text("nextPageToken")!;
        var reordered = await user.ListAsync("?maxResults=1&pageToken=" + Uri.EscapeDataString(token));
        var garbage = await user.ListAsync("?pageToken=not-a-token");

        reordered.AssertError(HttpStatusCode.BadRequest, "invalid");
        garbage.AssertError(HttpStatusCode.BadRequest, "invalid");
    }

    [Fact]
    public async Task List_Q_SearchesSummaryDescriptionLocationAndGuests()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "search");
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Dentist", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Call", "2030-01-07T12:00:00Z", "2030-01-07T13:00:00Z", extra: ""","location":"Dental clinic" """));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Lunch", "2030-01-07T14:00:00Z", "2030-01-07T15:00:00Z", extra: ""","attendees":[{"email":"dent@example.com"}]"""));
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Gym", "2030-01-07T16:00:00Z", "2030-01-07T17:00:00Z"));

        var answer = await user.ListAsync("?q=DENT");

        Assert.Equal(["Dentist", "Call", "Lunch"], answer.Summaries());
    }

    [Fact]
    public async Task List_TimeZoneParameter_WritesTimesInThatZone()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "list-zone");
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Standup", "2030-02-05T09:00:00", "2030-02-05T09:15:00", "America/New_York"));

        var answer = await user.ListAsync("?timeZone=Europe/Berlin");

        var start = answer.Body.GetProperty("items")[0].GetProperty("start");
        Assert.Equal("2030-02-05T15:00:00+01:00", start.GetProperty("dateTime").GetString());
        Assert.Equal("America/New_York", start.GetProperty("timeZone").GetString());
    }

    [Theory]
    [InlineData("?timeMin=2030-01-07T10:00:00", "badRequest")]
    [InlineData("?timeMin=2030-01-08T00:00:00Z&timeMax=2030-01-07T00:00:00Z", "timeRangeEmpty")]
    [InlineData("?maxResults=0", "invalid")]
    [InlineData("?maxResults=many", "invalid")]
    [InlineData("?orderBy=summary&singleEvents=true", "invalid")]
    [InlineData("?timeZone=Mars/Olympus", "invalid")]
    [InlineData("?singleEvents=yes", "invalid")]
    public async Task List_InvalidParameters_Answer400(string query, string reason)
    {
        var user = await CalendarUser.ConnectAsync(emulators, "list-invalid");

        (await user.ListAsync(query)).AssertError(HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task GetAndDelete_FollowGooglesLifecycle()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "lifecycle");
        var id = await user.InsertOkAsync(CalendarAnswers.TimedEvent("Short-lived", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"));

        var got = await user.GetAsync(id);
        var deleted = await user.DeleteAsync(id);
        var afterDelete = await user.GetAsync(id);
        var listed = await user.ListAsync();
        var listedWithDeleted = await user.ListAsync("?showDeleted=true");
        var deletedAgain = await user.DeleteAsync(id);
        var unknown = await user.GetAsync("doesnotexist0");

        Assert.Equal("Short-lived", got.Text("summary"));
        Assert.Equal(HttpStatusCode.NoContent, deleted.Status);
        Assert.Equal("cancelled", afterDelete.Text("status"));
        Assert.Empty(listed.Ids());
        Assert.Equal([id], listedWithDeleted.Ids());
        deletedAgain.AssertError(HttpStatusCode.Gone, "deleted");
        var error = unknown.AssertError(HttpStatusCode.NotFound, "notFound");
        Assert.Equal("Not Found", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task AnotherAccountsCalendar_IsNotFound_ForEveryCall()
    {
        var owner = await CalendarUser.ConnectAsync(emulators, "owner");
        var stranger = await CalendarUser.ConnectAsync(emulators, "stranger");
        var id = await owner.InsertOkAsync(CalendarAnswers.TimedEvent("Private", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"));

        var list = await stranger.ListAsync(calendarId: owner.Email);
        var insert = await stranger.InsertAsync(CalendarAnswers.TimedEvent("Intrusion", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"), calendarId: owner.Email);
        var get = await stranger.GetAsync(id, calendarId: owner.Email);
        var getInOwnPrimary = await stranger.GetAsync(id);
        var delete = await stranger.DeleteAsync(id, calendarId: owner.Email);

        list.AssertError(HttpStatusCode.NotFound, "notFound");
        insert.AssertError(HttpStatusCode.NotFound, "notFound");
        get.AssertError(HttpStatusCode.NotFound, "notFound");
        getInOwnPrimary.AssertError(HttpStatusCode.NotFound, "notFound");
        delete.AssertError(HttpStatusCode.NotFound, "notFound");
        var kept = Assert.Single(emulators.Calendar.GetEvents(owner.Email));
        Assert.Equal("confirmed", kept.Status);
    }

    [Fact]
    public async Task OwnCalendar_ReachableByEmailInAnyCase()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "by-email");
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Mine", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"));

        var answer = await user.ListAsync(calendarId: user.Email.ToUpperInvariant());

        Assert.Equal(["Mine"], answer.Summaries());
    }

    [Fact]
    public async Task ConcurrentInserts_AllLand_WithDistinctIds()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "concurrent");

        var ids = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            user.InsertOkAsync(CalendarAnswers.TimedEvent($"E{i}", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"))));

        Assert.Equal(40, ids.Distinct().Count());
        Assert.Equal(40, emulators.Calendar.GetEvents(user.Email).Count);
    }

    [Fact]
    public async Task UnknownRoute_IsNotAnApiAnswer()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "routes");

        var answer = await user.SendAsync(HttpMethod.Put, "calendars/primary/events");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.Status);
        Assert.Equal(JsonValueKind.Undefined, answer.Body.ValueKind);
    }
}
