using CalendarGrains.Google.Calendar;
using CalendarGrains.Sandbox.Google.Calendar;

namespace CalendarGrains.Tests.Calendar;

public sealed class GoogleCalendarClientTests(CalendarClientFixture fixture) : IClassFixture<CalendarClientFixture>, IDisposable
{
    private const string CalendarScope = SwitchableEndpoints.Calendar;
    private static readonly DateTimeOffset Monday = new(2030, 1, 7, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private GoogleCalendarClient Client => fixture.Client;

    private GoogleCalendarEmulator Emulator => fixture.Calendar;

    public void Dispose() => Emulator.FailNext(0, 500);

    [Fact]
    public async Task QueryFreeBusy_AcrossABusyBlock_AnswersTheBlockClippedToTheWindow()
    {
        var (email, token) = fixture.Connect("free-busy", CalendarScope);
        Emulator.AddEvent(email, new CalendarEventSeed("Busy", CalendarEventTime.At(Monday.AddHours(9)), CalendarEventTime.At(Monday.AddHours(11))));
        Emulator.AddEvent(email, new CalendarEventSeed("Free", CalendarEventTime.At(Monday.AddHours(13)), CalendarEventTime.At(Monday.AddHours(14))) { Transparent = true });
        var berlin = TimeSpan.FromHours(1);

        var result = await Client.QueryFreeBusyAsync(
            token, Monday.AddHours(10).ToOffset(berlin), Monday.AddHours(17).ToOffset(berlin), "Europe/Berlin", ["primary"], Ct);

        Assert.True(result.IsSuccess, result.Error?.ToString());
        var busy = Assert.Single(result.Value.Calendars["primary"].Busy);
        Assert.Equal(Monday.AddHours(10), busy.Start);
        Assert.Equal(Monday.AddHours(11), busy.End);
        Assert.Equal(berlin, busy.Start.Offset);
        Assert.Empty(result.Value.Calendars["primary"].Errors);
    }

    [Fact]
    public async Task QueryFreeBusy_AnotherAccountsCalendar_IsAnItemError()
    {
        var (_, token) = fixture.Connect("free-busy-other", CalendarScope);

        var result = await Client.QueryFreeBusyAsync(token, Monday, Monday.AddDays(1), null, ["primary", "someone-else@example.com"], Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal("notFound", Assert.Single(result.Value.Calendars["someone-else@example.com"].Errors).Reason);
        Assert.Empty(result.Value.Calendars["primary"].Errors);
    }

    [Fact]
    public async Task InsertThenList_FindsTheEventAsInserted()
    {
        var (email, token) = fixture.Connect("insert-list", CalendarScope);
        var start = new DateTimeOffset(2030, 1, 7, 15, 0, 0, TimeSpan.FromHours(1));
        Emulator.AddEvent(email, new CalendarEventSeed("Earlier", CalendarEventTime.At(Monday.AddHours(8)), CalendarEventTime.At(Monday.AddHours(9))));

        var inserted = await Client.InsertEventAsync(
            token,
            "primary",
            new NewEvent
            {
                Summary = "Consultation",
                Description = "Booked by the assistant",
                Start = EventDateTime.At(start, "Europe/Berlin"),
                End = EventDateTime.At(start.AddMinutes(30), "Europe/Berlin"),
                Attendees = [new EventAttendee { Email = "caller@example.com", DisplayName = "Caller" }],
            },
            SendUpdates.All,
            Ct);
        // Bounds with a '+' offset: a client that forgets to escape it sends a space, and Google says 400.
        var listed = await Client.ListEventsAsync(token, "primary", start.AddHours(-8), start.AddHours(8), "Europe/Berlin", 10, cancellationToken: Ct);

        Assert.True(inserted.IsSuccess, inserted.Error?.ToString());
        Assert.Equal("confirmed", inserted.Value.Status);
        Assert.StartsWith("https://www.google.com/calendar/event?eid=", inserted.Value.HtmlLink, StringComparison.Ordinal);
        Assert.Equal(start, inserted.Value.Start.DateTime);
        Assert.Equal("Europe/Berlin", inserted.Value.Start.TimeZone);
        Assert.Equal(email, inserted.Value.Organizer?.Email);
        Assert.Equal("needsAction", Assert.Single(inserted.Value.Attendees).ResponseStatus);
        Assert.Equal("all", Assert.Single(Emulator.GetEvents(email), e => e.Summary == "Consultation").SendUpdates);
        Assert.True(listed.IsSuccess, listed.Error?.ToString());
        Assert.Equal(["Earlier", "Consultation"], listed.Value.Items.Select(e => e.Summary));
        Assert.Equal(inserted.Value.Id, listed.Value.Items[1].Id);
        Assert.Equal(email, listed.Value.Summary);
        Assert.Null(listed.Value.NextPageToken);
    }

    [Fact]
    public async Task InsertAllDayEvent_KeepsItsDates()
    {
        var (_, token) = fixture.Connect("all-day", CalendarScope);

        var inserted = await Client.InsertEventAsync(
            token,
            "primary",
            new NewEvent { Summary = "Away", Start = EventDateTime.AllDay(new DateOnly(2030, 6, 1)), End = EventDateTime.AllDay(new DateOnly(2030, 6, 3)) },
            cancellationToken: Ct);

        Assert.True(inserted.IsSuccess, inserted.Error?.ToString());
        Assert.Equal(new DateOnly(2030, 6, 1), inserted.Value.Start.Date);
        Assert.Null(inserted.Value.Start.DateTime);
    }

    [Fact]
    public async Task ListEvents_PageToken_ReadsTheNextPage()
    {
        var (email, token) = fixture.Connect("pages", CalendarScope);
        for (var hour = 9; hour < 12; hour++)
        {
            Emulator.AddEvent(email, new CalendarEventSeed($"E{hour}", CalendarEventTime.At(Monday.AddHours(hour)), CalendarEventTime.At(Monday.AddHours(hour).AddMinutes(30))));
        }

        var first = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 2, cancellationToken: Ct);
        var second = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 2, first.Value?.NextPageToken, Ct);

        Assert.Equal(["E9", "E10"], first.Value!.Items.Select(e => e.Summary));
        Assert.Equal(["E11"], second.Value!.Items.Select(e => e.Summary));
        Assert.Null(second.Value.NextPageToken);
    }

    [Fact]
    public async Task RevokedUser_IsUnauthorized_ForEveryCall()
    {
        var (email, token) = fixture.Connect("revoked", CalendarScope);
        fixture.Google.RevokeUser(email);

        var freeBusy = await Client.QueryFreeBusyAsync(token, Monday, Monday.AddDays(1), null, ["primary"], Ct);
        var list = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);
        var insert = await Client.InsertEventAsync(token, "primary", Event("Never"), cancellationToken: Ct);

        foreach (var error in new[] { freeBusy.Error, list.Error, insert.Error })
        {
            Assert.NotNull(error);
            Assert.Equal(CalendarErrorKind.Unauthorized, error.Kind);
            Assert.Equal(401, error.Status);
            Assert.Equal("authError", error.Reason);
            Assert.StartsWith("Request had invalid authentication credentials.", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task MissingScope_IsForbidden_AndNotRetried()
    {
        var (_, token) = fixture.Connect("no-scope");
        var readOnly = fixture.Connect("read-only", "https://www.googleapis.com/auth/calendar.readonly").AccessToken;
        var before = Emulator.GetStats();

        var list = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);
        var insert = await Client.InsertEventAsync(readOnly, "primary", Event("Read-only"), cancellationToken: Ct);

        Assert.Equal(CalendarErrorKind.Forbidden, list.Error?.Kind);
        Assert.Equal("insufficientPermissions", list.Error?.Reason);
        Assert.Equal(403, list.Error?.Status);
        Assert.Equal(CalendarErrorKind.Forbidden, insert.Error?.Kind);
        Assert.Equal(1, Emulator.GetStats().EventLists - before.EventLists);
    }

    [Fact]
    public async Task AnotherAccountsCalendar_IsNotFound()
    {
        var (_, token) = fixture.Connect("stranger", CalendarScope);

        var list = await Client.ListEventsAsync(token, "owner@example.com", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);

        Assert.Equal(CalendarErrorKind.NotFound, list.Error?.Kind);
        Assert.Equal("notFound", list.Error?.Reason);
    }

    [Fact]
    public async Task InvalidEvent_IsInvalid_WithGooglesReason()
    {
        var (_, token) = fixture.Connect("invalid", CalendarScope);

        var insert = await Client.InsertEventAsync(
            token, "primary", new NewEvent { Summary = "Backwards", Start = EventDateTime.At(Monday.AddHours(10)), End = EventDateTime.At(Monday.AddHours(9)) }, cancellationToken: Ct);

        Assert.Equal(CalendarErrorKind.Invalid, insert.Error?.Kind);
        Assert.Equal("timeRangeEmpty", insert.Error?.Reason);
        Assert.Equal("The specified time range is empty.", insert.Error?.Message);
    }

    [Fact]
    public async Task InsertWithTheSameChosenId_IsAConflict_NotASecondEvent()
    {
        var (email, token) = fixture.Connect("chosen-id", CalendarScope);
        var booking = Event("Booked once") with { Id = "booking" + Guid.NewGuid().ToString("N") };

        var first = await Client.InsertEventAsync(token, "primary", booking, cancellationToken: Ct);
        var again = await Client.InsertEventAsync(token, "primary", booking, cancellationToken: Ct);

        Assert.True(first.IsSuccess, first.Error?.ToString());
        Assert.Equal(CalendarErrorKind.Conflict, again.Error?.Kind);
        Assert.Equal("duplicate", again.Error?.Reason);
        Assert.Single(Emulator.GetEvents(email));
    }

    [Fact]
    public async Task RateLimitedReads_AreRetried_UntilTheySucceed()
    {
        var (email, token) = fixture.Connect("rate-limited", CalendarScope);
        Emulator.AddEvent(email, new CalendarEventSeed("Busy", CalendarEventTime.At(Monday.AddHours(9)), CalendarEventTime.At(Monday.AddHours(10))));
        var before = Emulator.GetStats();

        Emulator.FailNext(2, 429);
        var freeBusy = await Client.QueryFreeBusyAsync(token, Monday, Monday.AddDays(1), null, ["primary"], Ct);
        Emulator.FailNext(1, 403, "rateLimitExceeded");
        var list = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);
        Emulator.FailNext(1, 503);
        var afterOutage = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);
        var after = Emulator.GetStats();

        Assert.True(freeBusy.IsSuccess, freeBusy.Error?.ToString());
        Assert.Single(freeBusy.Value.Calendars["primary"].Busy);
        Assert.True(list.IsSuccess, list.Error?.ToString());
        Assert.True(afterOutage.IsSuccess, afterOutage.Error?.ToString());
        Assert.Equal(3, after.FreeBusyQueries - before.FreeBusyQueries);
        Assert.Equal(4, after.EventLists - before.EventLists);
    }

    [Fact]
    public async Task RateLimitedReads_GiveUpAfterTheRetries_AsRateLimited()
    {
        var (_, token) = fixture.Connect("exhausted", CalendarScope);
        var before = Emulator.GetStats();

        Emulator.FailNext(10, 403);
        var list = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);

        Assert.Equal(CalendarErrorKind.RateLimited, list.Error?.Kind);
        Assert.Equal("rateLimitExceeded", list.Error?.Reason);
        Assert.Equal(403, list.Error?.Status);
        Assert.Equal(3, Emulator.GetStats().EventLists - before.EventLists);
    }

    [Theory]
    [InlineData(503, CalendarErrorKind.Unavailable, "backendError")]
    [InlineData(429, CalendarErrorKind.RateLimited, "rateLimitExceeded")]
    [InlineData(500, CalendarErrorKind.Unavailable, "backendError")]
    public async Task Insert_FailingTransiently_IsNotRetried(int status, CalendarErrorKind kind, string reason)
    {
        var (email, token) = fixture.Connect("insert-once", CalendarScope);
        var before = Emulator.GetStats();

        Emulator.FailNext(1, status);
        var insert = await Client.InsertEventAsync(token, "primary", Event("Only once"), cancellationToken: Ct);

        Assert.Equal(kind, insert.Error?.Kind);
        Assert.Equal(status, insert.Error?.Status);
        Assert.Equal(reason, insert.Error?.Reason);
        Assert.Equal(1, Emulator.GetStats().EventInserts - before.EventInserts);
        Assert.Empty(Emulator.GetEvents(email));
    }

    [Fact]
    public async Task BaseUrl_IsReadOnEveryCall()
    {
        var (_, token) = fixture.Connect("moving", CalendarScope);
        var emulator = fixture.Endpoints.Google;
        fixture.Endpoints.Google = new Uri($"http://127.0.0.1:{Infrastructure.FreePort.Next()}/google/");
        CalendarResult<CalendarEventList> unreachable;
        try
        {
            unreachable = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);
        }
        finally
        {
            fixture.Endpoints.Google = emulator;
        }

        var reachable = await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);

        Assert.Equal(CalendarErrorKind.Unavailable, unreachable.Error?.Kind);
        Assert.Equal("network_error", unreachable.Error?.Reason);
        Assert.Equal(0, unreachable.Error?.Status);
        Assert.True(reachable.IsSuccess, reachable.Error?.ToString());
    }

    [Fact]
    public async Task CallerCancellation_IsAnException_NotAResult()
    {
        var (_, token) = fixture.Connect("cancelled", CalendarScope);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task Tokens_NeverReachTheLogs()
    {
        var (email, token) = fixture.Connect("log-hygiene", CalendarScope);
        Emulator.FailNext(1, 503);
        await Client.InsertEventAsync(token, "primary", Event("Logged failure"), cancellationToken: Ct);
        await Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: Ct);
        fixture.Google.RevokeUser(email);
        await Client.QueryFreeBusyAsync(token, Monday, Monday.AddDays(1), null, ["primary"], Ct);

        Assert.Contains("Google Calendar insert failed: HTTP 503", fixture.Logs.All, StringComparison.Ordinal);
        Assert.Contains("authError", fixture.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(token, fixture.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(token[5..20], fixture.Logs.All, StringComparison.Ordinal);
    }

    private static NewEvent Event(string summary) =>
        new() { Summary = summary, Start = EventDateTime.At(Monday.AddHours(9)), End = EventDateTime.At(Monday.AddHours(10)) };
}

public sealed class GoogleCalendarClientTimeoutTests(FastTimeoutCalendarClientFixture fixture) : IClassFixture<FastTimeoutCalendarClientFixture>
{
    private static readonly DateTimeOffset Monday = new(2030, 1, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SlowGoogle_ReadsTimeOutPerAttemptAndRetry_InsertsTimeOutOnce()
    {
        var (email, token) = fixture.Connect("slow", SwitchableEndpoints.Calendar);
        var ct = TestContext.Current.CancellationToken;
        var before = fixture.Calendar.GetStats();
        fixture.Calendar.Latency = TimeSpan.FromMinutes(1);
        CalendarResult<CalendarEventList> list;
        CalendarResult<CalendarEvent> insert;
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            list = await fixture.Client.ListEventsAsync(token, "primary", Monday, Monday.AddDays(1), null, 10, cancellationToken: ct);
            insert = await fixture.Client.InsertEventAsync(
                token, "primary", new NewEvent { Summary = "Slow", Start = EventDateTime.At(Monday.AddHours(9)), End = EventDateTime.At(Monday.AddHours(10)) }, cancellationToken: ct);
        }
        finally
        {
            fixture.Calendar.Latency = TimeSpan.Zero;
        }

        Assert.Equal(CalendarErrorKind.Unavailable, list.Error?.Kind);
        Assert.Equal("timeout", list.Error?.Reason);
        Assert.Equal(0, list.Error?.Status);
        Assert.Equal(CalendarErrorKind.Unavailable, insert.Error?.Kind);
        Assert.Equal("timeout", insert.Error?.Reason);
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(20), $"Took {elapsed.Elapsed}.");
        var after = fixture.Calendar.GetStats();
        Assert.Equal(2, after.EventLists - before.EventLists);
        Assert.Equal(1, after.EventInserts - before.EventInserts);
        Assert.Empty(fixture.Calendar.GetEvents(email));
    }
}
