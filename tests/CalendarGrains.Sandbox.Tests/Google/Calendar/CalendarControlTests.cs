using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Sandbox.Google.Calendar;

namespace CalendarGrains.Sandbox.Tests.Google.Calendar;

/// <summary>Fault injection, counters and the HTTP control surface. Failures are armed per emulator, so these share none.</summary>
public sealed class CalendarControlTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>, IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => emulators.Calendar.FailNext(0, 500);

    [Fact]
    public async Task FailNext_429_FailsThatManyRequests_WithGooglesRateLimitBody_ThenSucceeds()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "rate-limited");
        var before = emulators.Calendar.GetStats();

        emulators.Calendar.FailNext(2, 429);
        var first = await user.ListAsync();
        var second = await user.FreeBusyAsync(CalendarAnswers.FreeBusyQuery("2030-01-01T00:00:00Z", "2030-01-02T00:00:00Z"));
        var third = await user.ListAsync();
        var after = emulators.Calendar.GetStats();

        var error = first.AssertError(HttpStatusCode.TooManyRequests, "rateLimitExceeded");
        Assert.Equal("usageLimits", error.GetProperty("errors")[0].GetProperty("domain").GetString());
        second.AssertError(HttpStatusCode.TooManyRequests, "rateLimitExceeded");
        third.AssertOk();
        Assert.Equal(3, after.Requests - before.Requests);
        Assert.Equal(2, after.EventLists - before.EventLists);
        Assert.Equal(1, after.FreeBusyQueries - before.FreeBusyQueries);
        Assert.Equal(2, after.InjectedFailures - before.InjectedFailures);
        Assert.Equal(0, after.PendingFailures);
    }

    [Theory]
    [InlineData(403, null, "rateLimitExceeded", "Rate Limit Exceeded")]
    [InlineData(403, "userRateLimitExceeded", "userRateLimitExceeded", "User Rate Limit Exceeded")]
    [InlineData(503, null, "backendError", "Backend Error")]
    [InlineData(500, null, "backendError", "Backend Error")]
    public async Task FailNext_AnswersGooglesBodyForTheStatus(int status, string? reason, string expectedReason, string expectedMessage)
    {
        var user = await CalendarUser.ConnectAsync(emulators, "fault-body");

        emulators.Calendar.FailNext(1, status, reason);
        var answer = await user.InsertAsync(CalendarAnswers.TimedEvent("x", "2030-01-01T10:00:00Z", "2030-01-01T11:00:00Z"));

        var error = answer.AssertError((HttpStatusCode)status, expectedReason);
        Assert.Equal(expectedMessage, error.GetProperty("message").GetString());
        Assert.Empty(emulators.Calendar.GetEvents(user.Email));
    }

    [Fact]
    public void AddEvent_BeyondTheCap_IsRefusedWithQuotaExceeded()
    {
        var email = $"full-{Guid.NewGuid():N}@example.com";
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < GoogleCalendarEmulator.MaxEventsPerCalendar; i++)
        {
            emulators.Calendar.AddEvent(email, new CalendarEventSeed($"E{i}", CalendarEventTime.At(start.AddMinutes(i)), CalendarEventTime.At(start.AddMinutes(i + 1))));
        }

        var refused = Assert.Throws<ArgumentException>(() =>
            emulators.Calendar.AddEvent(email, new CalendarEventSeed("One too many", CalendarEventTime.At(start), CalendarEventTime.At(start.AddHours(1)))));

        Assert.StartsWith("quotaExceeded", refused.Message, StringComparison.Ordinal);
        Assert.Equal(GoogleCalendarEmulator.MaxEventsPerCalendar, emulators.Calendar.GetEvents(email).Count);
    }

    [Fact]
    public void AddEvent_Invalid_ThrowsWithGooglesReason()
    {
        var start = new DateTimeOffset(2030, 1, 1, 10, 0, 0, TimeSpan.Zero);

        var refused = Assert.Throws<ArgumentException>(() =>
            emulators.Calendar.AddEvent("seed@example.com", new CalendarEventSeed("Backwards", CalendarEventTime.At(start), CalendarEventTime.At(start.AddHours(-1)))));

        Assert.StartsWith("timeRangeEmpty", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ControlRoutes_SeedListZoneFailNextAndStats_OverHttp()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "control");
        var account = Uri.EscapeDataString(user.Email);

        using var zone = await emulators.Http.PutAsync($"/google/_emulator/calendar/accounts/{account}/time-zone", Json("""{"timeZone":"Europe/Berlin"}"""), Ct);
        using var seeded = await emulators.Http.PostAsync(
            $"/google/_emulator/calendar/accounts/{account}/events",
            Json(CalendarAnswers.TimedEvent("Seeded", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z")),
            Ct);
        using var invalidSeed = await emulators.Http.PostAsync($"/google/_emulator/calendar/accounts/{account}/events", Json("""{"summary":"no times"}"""), Ct);
        using var listed = await emulators.Http.GetAsync($"/google/_emulator/calendar/accounts/{account}/events", Ct);
        using var armed = await emulators.Http.PostAsync("/google/_emulator/calendar/fail-next", Json("""{"count":1,"status":503}"""), Ct);
        var failed = await user.ListAsync();
        using var badKnob = await emulators.Http.PostAsync("/google/_emulator/calendar/fail-next", Json("""{"count":1,"status":200}"""), Ct);
        var stats = await emulators.Http.GetFromJsonAsync<GoogleCalendarStats>("/google/_emulator/calendar/stats", Ct);

        Assert.Equal(HttpStatusCode.OK, zone.StatusCode);
        Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        var seededEvent = await OAuthAnswer.ReadAsync(seeded, Ct);
        Assert.Equal("2030-01-07T11:00:00+01:00", seededEvent.Body.GetProperty("start").GetProperty("dateTime").GetString());
        (await OAuthAnswer.ReadAsync(invalidSeed, Ct)).AssertError(HttpStatusCode.BadRequest, "required");
        var list = await OAuthAnswer.ReadAsync(listed, Ct);
        Assert.Equal(["Seeded"], list.Summaries());
        Assert.Equal("Europe/Berlin", list.Text("timeZone"));
        Assert.Equal(1, (await armed.Content.ReadFromJsonAsync<GoogleCalendarStats>(Ct))!.PendingFailures);
        failed.AssertError(HttpStatusCode.ServiceUnavailable, "backendError");
        Assert.Equal(HttpStatusCode.BadRequest, badKnob.StatusCode);
        Assert.NotNull(stats);
        Assert.True(stats.Events >= 1);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}

/// <summary>Latency and reset need an emulator of their own: they change what every other test would see.</summary>
public sealed class CalendarLatencyTests(FakeClockEmulatorFixture emulators) : IClassFixture<FakeClockEmulatorFixture>
{
    [Fact]
    public async Task Latency_HoldsTheAnswerUntilTheClockMoves()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "slow");
        var requestsBefore = emulators.Calendar.GetStats().Requests;
        emulators.Calendar.Latency = TimeSpan.FromSeconds(5);
        try
        {
            var pending = user.ListAsync();
            await WaitUntilAsync(() => emulators.Calendar.GetStats().Requests > requestsBefore);
            Assert.False(pending.IsCompleted);

            emulators.Clock.Advance(TimeSpan.FromSeconds(5));
            (await pending).AssertOk();
        }
        finally
        {
            emulators.Calendar.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task Reset_ForgetsCalendarsCountersAndKnobs()
    {
        var user = await CalendarUser.ConnectAsync(emulators, "reset");
        await user.InsertOkAsync(CalendarAnswers.TimedEvent("Gone soon", "2030-01-07T10:00:00Z", "2030-01-07T11:00:00Z"));
        emulators.Calendar.FailNext(3, 503);

        using var response = await emulators.Http.PostAsync("/google/_emulator/calendar/reset", content: null, TestContext.Current.CancellationToken);
        var stats = emulators.Calendar.GetStats();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new GoogleCalendarStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), stats);
        Assert.Empty(emulators.Calendar.GetEvents(user.Email));
        (await user.ListAsync()).AssertOk();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(10), "The condition did not hold within 10 s.");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
