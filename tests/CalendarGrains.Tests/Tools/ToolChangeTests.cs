using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Sandbox.Google.Calendar;
using CalendarGrains.Tests.Connections;
using Microsoft.Extensions.DependencyInjection;
using static CalendarGrains.Tests.Tools.ToolMessages;

namespace CalendarGrains.Tests.Tools;

/// <summary>update_event and cancel_event: finding the event, the tenant's scope, and retries.</summary>
public sealed class ToolChangeTests(ToolsHostFixture fixture) : IClassFixture<ToolsHostFixture>
{
    private const string Caller = "+15550100001";
    private const string OtherCaller = "+15550100002";

    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private GoogleCalendarEmulator Calendar => fixture.Host.Services.GetRequiredService<GoogleCalendarEmulator>();

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public async Task UpdateEvent_MovesAnEventBookedThroughTheTools_KeepingItsLength_AndARetryFindsItsOwnMove()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("change-1", "change-1@example.com");
        Said(await SingleAsync(kit, connectionId, "create_event", new { summary = "Dentist", start = "2026-12-10T15:00", durationMinutes = 45, timeZone = "Europe/Berlin" }, Caller, "c1"));
        var move = new { eventStart = "2026-12-10T15:00", newStart = "2026-12-11T09:30", timeZone = "Europe/Berlin" };

        var moved = await SingleAsync(kit, connectionId, "update_event", move, Caller, "u1");
        var retried = await SingleAsync(kit, connectionId, "update_event", move, Caller, "u1");

        Assert.Equal("Moved \"Dentist\" from Thu 10 Dec 15:00–15:45 to Fri 11 Dec 09:30–10:15 (Europe/Berlin).", Said(moved));
        Assert.Equal("\"Dentist\" was already moved to Fri 11 Dec 09:30–10:15 (Europe/Berlin).", Said(retried));
        var stored = Assert.Single(Calendar.GetEvents("change-1@example.com"));
        Assert.Equal(Utc(12, 11, 8, 30), stored.Start.DateTime!.Value.ToUniversalTime());
        Assert.Equal(Utc(12, 11, 9, 15), stored.End.DateTime!.Value.ToUniversalTime());
        Assert.Equal(1, stored.Sequence);
    }

    /// <summary>By title alone the search runs from today for 90 days (the fixture's today is 5 Jan 2026).</summary>
    [Fact]
    public async Task UpdateEvent_ByTitleWithADateAlone_KeepsTheTimeOfDay()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("change-2", "change-2@example.com");
        Said(await SingleAsync(kit, connectionId, "create_event", new { summary = "Haircut", start = "2026-02-10T11:00", timeZone = "America/New_York" }, Caller, "c1"));

        var moved = await SingleAsync(kit, connectionId, "update_event", new { summary = "haircut", newStart = "2026-02-16", timeZone = "America/New_York" }, Caller, "u1");

        Assert.Equal("Moved \"Haircut\" from Tue 10 Feb 11:00–11:30 to Mon 16 Feb 11:00–11:30 (America/New_York).", Said(moved));
    }

    [Fact]
    public async Task UpdateEvent_AnEventNotBookedThroughTheTools_IsRefused_UntilTheTenantAllowsAll()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("change-3", "change-3@example.com");
        Calendar.AddEvent("change-3@example.com", new CalendarEventSeed("Board meeting", CalendarEventTime.At(Utc(12, 10, 9)), CalendarEventTime.At(Utc(12, 10, 10))));
        var move = new { eventStart = "2026-12-10T09:00:00Z", newStart = "2026-12-10T13:00:00Z", timeZone = "UTC" };

        var refused = await SingleAsync(kit, connectionId, "update_event", move, Caller, "u1");
        var put = await kit.Api.PutAsJsonAsync("/v1/tool-settings", new { eventScope = "all" }, _ct);
        var allowed = await SingleAsync(kit, connectionId, "update_event", move, Caller, "u2");

        Assert.Contains("was not booked by this caller or through this assistant", Error(refused), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("Moved \"Board meeting\" from Thu 10 Dec 09:00–10:00 to Thu 10 Dec 13:00–14:00 (UTC).", Said(allowed));
    }

    [Fact]
    public async Task CancelEvent_InCallerScope_OnlyTheCallerWhoBookedIt_MayCancel_AndARetryIsAlreadyDone()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("change-4", "change-4@example.com");
        Assert.Equal(HttpStatusCode.OK, (await kit.Api.PutAsJsonAsync("/v1/tool-settings", new { eventScope = "caller" }, _ct)).StatusCode);
        Said(await SingleAsync(kit, connectionId, "create_event",
            new { summary = "Consultation", start = "2026-12-10T10:00", timeZone = "Europe/Berlin", attendees = new[] { "guest@example.com" } }, Caller, "c1"));
        var cancel = new { eventStart = "2026-12-10", summary = "consultation", timeZone = "Europe/Berlin" };
        var before = Calendar.GetStats();

        var stranger = await SingleAsync(kit, connectionId, "cancel_event", cancel, OtherCaller, "x1");
        var cancelled = await SingleAsync(kit, connectionId, "cancel_event", cancel, Caller, "x2");
        var retried = await SingleAsync(kit, connectionId, "cancel_event", cancel, Caller, "x2");

        Assert.Contains("Nothing was changed", Error(stranger), StringComparison.Ordinal);
        Assert.Equal("Cancelled \"Consultation\" on Thu 10 Dec 10:00–10:30 (Europe/Berlin). The guests were told.", Said(cancelled));
        Assert.Equal("\"Consultation\" on Thu 10 Dec 10:00–10:30 is already cancelled (Europe/Berlin).", Said(retried));
        Assert.Equal("cancelled", Assert.Single(Calendar.GetEvents("change-4@example.com")).Status);
        Assert.Equal(1, Calendar.GetStats().EventDeletes - before.EventDeletes);
    }

    [Fact]
    public async Task CancelEvent_WhenSeveralEventsMatch_ChangesNothing_AndListsThem()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("change-5", "change-5@example.com");
        Said(await SingleAsync(kit, connectionId, "create_event", new { summary = "Call with Ana", start = "2026-12-10T10:00", timeZone = "UTC" }, Caller, "c1"));
        Said(await SingleAsync(kit, connectionId, "create_event", new { summary = "Call with Ben", start = "2026-12-10T14:00", timeZone = "UTC" }, Caller, "c2"));

        var ambiguous = await SingleAsync(kit, connectionId, "cancel_event", new { eventStart = "2026-12-10", summary = "call", timeZone = "UTC" }, Caller, "x1");
        var missing = await SingleAsync(kit, connectionId, "cancel_event", new { eventStart = "2026-12-10T12:00", timeZone = "UTC" }, Caller, "x2");

        Assert.Equal(
            "Nothing was changed: 2 events match (\"Call with Ana\" Thu 10 Dec 10:00–10:30; \"Call with Ben\" Thu 10 Dec 14:00–14:30); ask which one, then give its start time and title.",
            Error(ambiguous));
        Assert.Equal("Nothing was changed: no event starting Thu 10 Dec 12:00 (UTC).", Error(missing));
        Assert.All(Calendar.GetEvents("change-5@example.com"), e => Assert.Equal("confirmed", e.Status));
    }

    [Fact]
    public async Task UpdateEvent_AnAllDayEventToADate_StaysAllDayForAsManyDays()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("change-6", "change-6@example.com");
        Said(await SingleAsync(kit, connectionId, "create_event", new { summary = "Trip", start = "2026-12-10", end = "2026-12-11", timeZone = "UTC" }, Caller, "c1"));

        var moved = await SingleAsync(kit, connectionId, "update_event", new { summary = "Trip", eventStart = "2026-12-10", newStart = "2026-12-17", timeZone = "UTC" }, Caller, "u1");

        Assert.Equal("Moved \"Trip\" from Thu 10 Dec to Fri 11 Dec, all day to Thu 17 Dec to Fri 18 Dec, all day (UTC).", Said(moved));
        var stored = Assert.Single(Calendar.GetEvents("change-6@example.com"));
        Assert.Equal(new DateOnly(2026, 12, 17), stored.Start.Date);
        Assert.Equal(new DateOnly(2026, 12, 19), stored.End.Date);
    }
}
