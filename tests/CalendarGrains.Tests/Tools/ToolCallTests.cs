using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Sandbox.Google.Calendar;
using CalendarGrains.Tests.Connections;
using Microsoft.Extensions.DependencyInjection;
using static CalendarGrains.Tests.Tools.ToolMessages;

namespace CalendarGrains.Tests.Tools;

/// <summary>Vapi tool calls against the Google Calendar emulator, over real HTTP; the product clock stands at 5 Jan 2026.</summary>
public sealed class ToolCallTests(ToolsHostFixture fixture) : IClassFixture<ToolsHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    private GoogleCalendarEmulator Calendar => fixture.Host.Services.GetRequiredService<GoogleCalendarEmulator>();

    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private static DateTimeOffset InBerlin(int year, int month, int day, int hour, int minute = 0)
    {
        var local = new DateTime(year, month, day, hour, minute, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Berlin.GetUtcOffset(local));
    }

    private static object Hours(string from, string to, string zone = "Europe/Berlin") => new
    {
        workingHours = new { timeZone = zone, days = new { mon = new[] { $"{from}-{to}" }, tue = new[] { $"{from}-{to}" }, wed = new[] { $"{from}-{to}" }, thu = new[] { $"{from}-{to}" }, fri = new[] { $"{from}-{to}" } } },
    };

    private async Task SetMetadataAsync(ConnectionKit kit, string connectionId, object metadata)
    {
        var response = await kit.Api.PatchAsJsonAsync($"/v1/connections/{connectionId}", new { metadata }, _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ThreeToolCallsInOneMessage_ReturnThreeResults_AndTheEventExistsAfterwards()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-1", "tools-1@example.com");
        var message = Message(connectionId,
            ("a1", "check_availability", new { start = "2026-12-02T09:00:00", end = "2026-12-02T17:00:00", timeZone = "Europe/Berlin" }),
            ("c1", "create_event", new { summary = "Call with Dana", start = "2026-12-02T10:00:00", end = "2026-12-02T10:30:00", timeZone = "Europe/Berlin", attendees = new[] { "dana@example.com" } }),
            ("l1", "list_events", new { start = "2026-12-01", end = "2026-12-03", timeZone = "Europe/Berlin" }));

        var results = await ResultsAsync(kit, message);

        Assert.Equal(["a1", "c1", "l1"], results.Select(r => r.GetProperty("toolCallId").GetString()));
        Assert.Equal(["check_availability", "create_event", "list_events"], results.Select(r => r.GetProperty("name").GetString()));
        Assert.All(results, r => Assert.DoesNotContain('\n', Said(r)));
        Assert.Contains("Booked \"Call with Dana\"", Said(results[1]), StringComparison.Ordinal);
        var created = Assert.Single(Calendar.GetEvents("tools-1@example.com"), e => e.Summary == "Call with Dana");
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero), created.Start.DateTime!.Value.ToUniversalTime());
        Assert.Contains(created.Attendees, a => a.Email == "dana@example.com");
    }

    /// <summary>Issue 14: calls of one message ran concurrently, so a list did not see a create sent before it.</summary>
    [Fact]
    public async Task ToolCallsOfOneMessage_RunInOrder_SoAListSeesTheEventCreatedBeforeIt()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-order", "tools-order@example.com");

        var results = await ResultsAsync(kit, Message(connectionId,
            ("c1", "create_event", new { summary = "Ordered", start = "2026-12-09T10:00:00", timeZone = "Europe/Berlin" }),
            ("l1", "list_events", new { start = "2026-12-09", end = "2026-12-09", timeZone = "Europe/Berlin" })));

        Assert.Equal("1 event (Europe/Berlin): 10:00–10:30 Ordered.", Said(results[1]));
    }

    [Fact]
    public async Task Availability_AcrossABusyBlockInAnotherTimeZone_ListsTheFreeWindowsInsideWorkingHours()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-2", "tools-2@example.com");
        await SetMetadataAsync(kit, connectionId, Hours("09:00", "18:00"));
        // 10:00–11:00 in New York on 1 Dec 2026 is 16:00–17:00 in Berlin.
        Calendar.AddEvent("tools-2@example.com", new CalendarEventSeed("Dentist",
            CalendarEventTime.At(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(-5)), "America/New_York"),
            CalendarEventTime.At(new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.FromHours(-5)), "America/New_York")));

        var result = await SingleAsync(kit, connectionId, "check_availability",
            new { start = "2026-12-01T08:00:00", end = "2026-12-01T20:00:00", timeZone = "Europe/Berlin", durationMinutes = 30 });

        Assert.Equal("Free Tue 1 Dec 09:00–16:00 and 17:00–18:00 (Europe/Berlin).", Said(result));
    }

    /// <summary>Issue 14: bare dates were read as UTC midnight (the "-04" taken for an offset), missing an event at 00:30 Berlin.</summary>
    [Fact]
    public async Task ListEvents_BareDatesInBerlin_CoverTheWholeLocalDay()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-bare", "tools-bare@example.com");
        Calendar.AddEvent("tools-bare@example.com", new CalendarEventSeed("Night shift handover",
            CalendarEventTime.At(InBerlin(2026, 12, 4, 0, 30), "Europe/Berlin"), CalendarEventTime.At(InBerlin(2026, 12, 4, 1, 0), "Europe/Berlin")));

        var found = await SingleAsync(kit, connectionId, "list_events", new { start = "2026-12-04", end = "2026-12-04", timeZone = "Europe/Berlin" });
        var none = await SingleAsync(kit, connectionId, "list_events", new { start = "2026-12-05", end = "2026-12-06", timeZone = "Europe/Berlin" });

        Assert.Equal("1 event (Europe/Berlin): 00:30–01:00 Night shift handover.", Said(found));
        Assert.Equal("No events from Sat 5 Dec to Sun 6 Dec (Europe/Berlin).", Said(none));
    }

    /// <summary>Issue 14: with bare dates in Los Angeles the tool offered "Thu 3 Dec 16:00–17:00" (UTC's day); start = end was refused.</summary>
    [Fact]
    public async Task CheckAvailability_TheSameBareDateAsStartAndEnd_IsThatWholeDayInTheCallersZone()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-la", "tools-la@example.com");
        Calendar.SetTimeZone("tools-la@example.com", "America/Los_Angeles");

        var result = await SingleAsync(kit, connectionId, "check_availability", new { start = "2026-12-03", end = "2026-12-03", timeZone = "America/Los_Angeles" });

        Assert.Equal("Free Thu 3 Dec 09:00–17:00 (America/Los_Angeles).", Said(result));
    }

    [Fact]
    public async Task CreateEvent_AtATimeTheAutumnOverlapRepeats_BooksTheFirstAndSaysSo()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-dst", "tools-dst@example.com");

        var result = await SingleAsync(kit, connectionId, "create_event", new { summary = "Night call", start = "2026-10-25T02:30:00", timeZone = "Europe/Berlin" });

        Assert.Contains("happens twice on Sun 25 Oct 2026 in Europe/Berlin", Said(result), StringComparison.Ordinal);
        var created = Assert.Single(Calendar.GetEvents("tools-dst@example.com"));
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), created.Start.DateTime!.Value.ToUniversalTime());
        Assert.Equal("Europe/Berlin", created.Start.TimeZone);
    }

    [Fact]
    public async Task CreateEvent_WithADateAlone_BooksAnAllDayEvent_ThatListSaysIsAllDay()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-allday", "tools-allday@example.com");
        Calendar.SetTimeZone("tools-allday@example.com", "Europe/Berlin");

        var booked = await SingleAsync(kit, connectionId, "create_event", new { summary = "Offsite", start = "2026-12-07", end = "2026-12-08", timeZone = "Europe/Berlin" });
        var listed = await SingleAsync(kit, connectionId, "list_events", new { start = "2026-12-08", end = "2026-12-08", timeZone = "Europe/Berlin" });

        Assert.Equal("Booked \"Offsite\" for Mon 7 Dec to Tue 8 Dec, all day (Europe/Berlin).", Said(booked));
        var created = Assert.Single(Calendar.GetEvents("tools-allday@example.com"));
        Assert.Equal(new DateOnly(2026, 12, 7), created.Start.Date);
        Assert.Equal(new DateOnly(2026, 12, 9), created.End.Date); // Google's end date is exclusive.
        Assert.Equal("1 event (Europe/Berlin): Mon 7 Dec to Tue 8 Dec all day Offsite.", Said(listed));
    }

    [Fact]
    public async Task ListEvents_AnEventCrossingMidnightIntoTheDay_IsSaidWithBothDays()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-midnight", "tools-midnight@example.com");
        Calendar.AddEvent("tools-midnight@example.com", new CalendarEventSeed("Party",
            CalendarEventTime.At(InBerlin(2026, 12, 4, 23, 0), "Europe/Berlin"), CalendarEventTime.At(InBerlin(2026, 12, 5, 1, 0), "Europe/Berlin")));

        var result = await SingleAsync(kit, connectionId, "list_events", new { start = "2026-12-05", end = "2026-12-05", timeZone = "Europe/Berlin" });

        Assert.Equal("1 event (Europe/Berlin): Fri 4 Dec 23:00 to Sat 5 Dec 01:00 Party.", Said(result));
    }

    [Fact]
    public async Task TimeZone_WhenTheToolCallNamesNone_IsTheTenantsDefault_ElseTheCalendarsOwn()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-zone", "tools-zone@example.com");
        Calendar.SetTimeZone("tools-zone@example.com", "Asia/Tokyo");

        var calendars = await SingleAsync(kit, connectionId, "list_events", new { start = "2026-12-04", end = "2026-12-04" });
        var put = await kit.Api.PutAsJsonAsync("/v1/tool-settings", new { timeZone = "America/New_York" }, _ct);
        var tenants = await SingleAsync(kit, connectionId, "list_events", new { start = "2026-12-04", end = "2026-12-04" });

        Assert.Equal("No events on Fri 4 Dec (Asia/Tokyo).", Said(calendars));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("No events on Fri 4 Dec (America/New_York).", Said(tenants));
    }

    [Fact]
    public async Task CheckAvailability_ARangeThatIsFull_NamesTheNextFreeTimes()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-full", "tools-full@example.com");
        await SetMetadataAsync(kit, connectionId, Hours("09:00", "17:00"));
        Calendar.AddEvent("tools-full@example.com", new CalendarEventSeed("Workshop",
            CalendarEventTime.At(InBerlin(2026, 12, 7, 8, 0)), CalendarEventTime.At(InBerlin(2026, 12, 8, 11, 0))));

        var result = await SingleAsync(kit, connectionId, "check_availability", new { start = "2026-12-07", end = "2026-12-07", timeZone = "Europe/Berlin", durationMinutes = 60 });

        Assert.Equal(
            "No free time of at least 60 minutes within working hours on Mon 7 Dec (Europe/Berlin). The next free times are Tue 8 Dec 11:00–17:00; Wed 9 Dec 09:00–17:00; Thu 10 Dec 09:00–17:00.",
            Said(result));
    }

    [Fact]
    public async Task CheckAvailability_AWeekend_OffersNothingOutsideTheDefaultWorkingWeek()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-weekend", "tools-weekend@example.com");
        Calendar.SetTimeZone("tools-weekend@example.com", "Europe/Berlin");

        var result = await SingleAsync(kit, connectionId, "check_availability", new { start = "2026-12-05", end = "2026-12-06", timeZone = "Europe/Berlin" });

        Assert.StartsWith("No free time of at least 30 minutes within working hours from Sat 5 Dec to Sun 6 Dec (Europe/Berlin). The next free times are Mon 7 Dec 09:00–17:00", Said(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckAvailability_ARangeInThePast_SaysSo()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-past", "tools-past@example.com");

        var result = await SingleAsync(kit, connectionId, "check_availability", new { start = "2026-01-02", end = "2026-01-02", timeZone = "Europe/Berlin" });

        Assert.Equal("That time has already passed: it is now Mon 5 Jan 09:00 (Europe/Berlin).", Said(result));
    }

    [Fact]
    public async Task ARevokedUser_GetsAnErrorSayingToReconnect_WithHttp200()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-3", "tools-3@example.com");
        kit.Google.RevokeUser("tools-3@example.com");

        var result = await SingleAsync(kit, connectionId, "list_events", new { start = "2026-12-01", end = "2026-12-02", timeZone = "UTC" });

        Assert.Contains("must be reconnected", Error(result), StringComparison.Ordinal);
        Assert.False(result.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task AWrongSecret_Is401()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/vapi/tool-calls/{kit.Tenant.Id}") { Content = JsonContent.Create(Message("x")) };
        request.Headers.Add("X-Vapi-Secret", "vss_wrong");

        var wrong = await fixture.Host.Http.SendAsync(request, _ct);
        var missing = await fixture.Host.Http.PostAsJsonAsync($"/v1/vapi/tool-calls/{kit.Tenant.Id}", Message("x"), _ct);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
    }

    [Fact]
    public async Task AnotherTenantsConnection_IsAnErrorResult_WithNoData()
    {
        using var owner = await ConnectionKit.CreateAsync(fixture.Host);
        using var stranger = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await owner.ConnectAsync("tools-4", "tools-4@example.com");
        Calendar.AddEvent("tools-4@example.com", new CalendarEventSeed("Secret board meeting",
            CalendarEventTime.At(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero)), CalendarEventTime.At(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero))));

        var result = await SingleAsync(stranger, connectionId, "list_events", new { start = "2026-12-01", end = "2026-12-02", timeZone = "UTC" });

        Assert.Equal("The calendar connection for this call was not found.", Error(result));
        Assert.DoesNotContain("board", result.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task BadArguments_AndArgumentsAsAJsonString_AreBothHandled()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-5", "tools-5@example.com");
        var asString = JsonSerializer.Serialize(new { start = "2026-12-01", end = "2026-12-02", timeZone = "UTC" });

        var results = await ResultsAsync(kit, Message(connectionId,
            ("s1", "list_events", asString),
            ("b1", "check_availability", new { start = "next tuesday", end = "2026-12-02", timeZone = "UTC" }),
            ("b2", "check_availability", new { start = "2026-12-01", end = "2026-12-02", timeZone = "Mars/Olympus" }),
            ("b3", "check_availability", new { start = "2026-12-01", end = "2026-12-02", timeZone = "EST" }),
            ("u1", "send_fax", new { })));

        Assert.StartsWith("No events", Said(results[0]), StringComparison.Ordinal);
        Assert.Contains("start must be an ISO 8601 date", Error(results[1]), StringComparison.Ordinal);
        Assert.Contains("not a known time zone", Error(results[2]), StringComparison.Ordinal);
        Assert.Contains("is an abbreviation", Error(results[3]), StringComparison.Ordinal);
        Assert.Contains("Unknown tool", Error(results[4]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameCreateToolCallTwice_BooksOnce()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var connectionId = await kit.ConnectAsync("tools-6", "tools-6@example.com");
        var message = Message(connectionId, ("same-id", "create_event", new { summary = "Once", start = "2026-12-03T15:00:00Z", timeZone = "UTC" }));

        var first = await PostAsync(kit, message);
        var again = await PostAsync(kit, message);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("already booked", await again.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Single(Calendar.GetEvents("tools-6@example.com"), e => e.Summary == "Once");
    }

    [Fact]
    public async Task ToolDefinitions_AreTheFiveTools_PointingAtThisServiceWithTheTenantsSecret()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);

        var tools = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/vapi/tools", _ct);

        Assert.Equal(["check_availability", "list_events", "create_event", "update_event", "cancel_event"],
            tools.EnumerateArray().Select(t => t.GetProperty("function").GetProperty("name").GetString()));
        foreach (var tool in tools.EnumerateArray())
        {
            Assert.Equal("function", tool.GetProperty("type").GetString());
            Assert.Equal("object", tool.GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
            var server = tool.GetProperty("server");
            Assert.Equal(new Uri(fixture.Host.BaseUrl, $"/v1/vapi/tool-calls/{kit.Tenant.Id}").AbsoluteUri, server.GetProperty("url").GetString());
            Assert.Equal(kit.Tenant.VapiServerSecret, server.GetProperty("headers").GetProperty("X-Vapi-Secret").GetString());
        }
    }
}
