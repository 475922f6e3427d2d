using CalendarGrains.Silo.Tools;
using NodaTime;
using NodaTime.Text;

namespace CalendarGrains.Tests.Tools;

/// <summary>How date and time arguments become instants: bare dates, wall-clock times, offsets and DST edges, in many zones.</summary>
public sealed class TimeRulesTests
{
    [Theory]
    [InlineData("2026-12-04", "day", "2026-12-04T00:00:00", null)]
    [InlineData("2026-12-04T14:00", "wall", "2026-12-04T14:00:00", null)]
    [InlineData("2026-12-04T14:00:00", "wall", "2026-12-04T14:00:00", null)]
    [InlineData("2026-12-04 14:00:30.250", "wall", "2026-12-04T14:00:30.25", null)]
    [InlineData("2026-12-04T14:00:00Z", "exact", "2026-12-04T14:00:00", 0)]
    [InlineData("2026-12-04T14:00:00-04:00", "exact", "2026-12-04T14:00:00", -240)]
    [InlineData("2026-12-04T14:00:00+0530", "exact", "2026-12-04T14:00:00", 330)]
    [InlineData("2026-12-04T14:00+01", "exact", "2026-12-04T14:00:00", 60)]
    public void TryParse_IsoForms_ReadAsTheyMean(string text, string kind, string local, int? offsetMinutes)
    {
        var expected = LocalDateTimePattern.ExtendedIso.Parse(local).Value;

        Assert.True(TimeArgument.TryParse(text, out var parsed));

        switch (kind)
        {
            case "day":
                Assert.Equal(expected.Date, Assert.IsType<TimeArgument.Day>(parsed).Date);
                break;
            case "wall":
                Assert.Equal(expected, Assert.IsType<TimeArgument.WallClock>(parsed).Value);
                break;
            default:
                var exact = Assert.IsType<TimeArgument.Exact>(parsed).Value;
                Assert.Equal(expected, exact.LocalDateTime);
                Assert.Equal(Offset.FromSeconds(offsetMinutes!.Value * 60), exact.Offset);
                break;
        }
    }

    /// <summary>The bug of issue 14: the "-04" of a bare date was taken for an offset.</summary>
    [Fact]
    public void TryParse_ABareDateEndingInWhatLooksLikeAnOffset_IsADay_NotAnInstant()
    {
        Assert.True(TimeArgument.TryParse("2026-12-04", out var parsed));
        var day = Assert.IsType<TimeArgument.Day>(parsed);
        Assert.Equal(new LocalDate(2026, 12, 4), day.Date);
    }

    [Theory]
    [InlineData("next tuesday")]
    [InlineData("2026-02-30")]
    [InlineData("2026-12-04T25:00")]
    [InlineData("2026-12-04T10:00+15:00")]
    [InlineData("04/12/2026")]
    [InlineData("2026-12-04Z")]
    public void TryParse_NotAnIsoDate_IsRefused(string text) => Assert.False(TimeArgument.TryParse(text, out _));

    /// <summary>
    /// One row per zone and edge: a wall-clock time, the instant it must come to (UTC), and whether
    /// the answer must carry a note (a time in a DST gap or overlap).
    /// </summary>
    [Theory]
    // Europe/Berlin: spring forward 2026-03-29 02:00→03:00, fall back 2026-10-25 03:00→02:00.
    [InlineData("Europe/Berlin", "2026-03-29T01:30", "2026-03-29T00:30:00Z", null)]
    [InlineData("Europe/Berlin", "2026-03-29T02:30", "2026-03-29T01:30:00Z", "does not exist")]
    [InlineData("Europe/Berlin", "2026-03-29T03:30", "2026-03-29T01:30:00Z", null)]
    [InlineData("Europe/Berlin", "2026-10-25T01:30", "2026-10-24T23:30:00Z", null)]
    [InlineData("Europe/Berlin", "2026-10-25T02:30", "2026-10-25T00:30:00Z", "happens twice")]
    [InlineData("Europe/Berlin", "2026-10-25T03:30", "2026-10-25T02:30:00Z", null)]
    // America/New_York: spring forward 2026-03-08 02:00→03:00, fall back 2026-11-01 02:00→01:00.
    [InlineData("America/New_York", "2026-03-08T02:15", "2026-03-08T07:15:00Z", "does not exist")]
    [InlineData("America/New_York", "2026-11-01T00:59", "2026-11-01T04:59:00Z", null)]
    [InlineData("America/New_York", "2026-11-01T01:30", "2026-11-01T05:30:00Z", "happens twice")]
    [InlineData("America/New_York", "2026-11-01T02:00", "2026-11-01T07:00:00Z", null)]
    // America/Los_Angeles: the same Sunday as New York, three hours later.
    [InlineData("America/Los_Angeles", "2026-11-01T01:30", "2026-11-01T08:30:00Z", "happens twice")]
    [InlineData("America/Los_Angeles", "2026-12-03T16:00", "2026-12-04T00:00:00Z", null)]
    // Australia/Sydney (southern hemisphere): back 2026-04-05 03:00→02:00, forward 2026-10-04 02:00→03:00.
    [InlineData("Australia/Sydney", "2026-04-05T02:30", "2026-04-04T15:30:00Z", "happens twice")]
    [InlineData("Australia/Sydney", "2026-10-04T02:30", "2026-10-03T16:30:00Z", "does not exist")]
    // Zones without DST, and odd offsets.
    [InlineData("Asia/Kolkata", "2026-10-25T02:30", "2026-10-24T21:00:00Z", null)]
    [InlineData("Asia/Tokyo", "2026-11-01T01:30", "2026-10-31T16:30:00Z", null)]
    [InlineData("Pacific/Chatham", "2026-12-04T09:00", "2026-12-03T19:15:00Z", null)]
    [InlineData("UTC", "2026-10-25T02:30", "2026-10-25T02:30:00Z", null)]
    public void At_AWallClockTime_ComesToTheRightInstant_AndSaysWhenDstChoseIt(string zoneId, string local, string expectedUtc, string? note)
    {
        Assert.True(ZoneNames.TryFind(zoneId, out var zone, out _));
        Assert.True(TimeArgument.TryParse(local, out var parsed));

        var resolved = CallerTime.Start(parsed!, zone);

        Assert.Equal(DateTimeOffset.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), resolved.Instant.ToDateTimeOffset());
        if (note is null)
        {
            Assert.Null(resolved.Note);
        }
        else
        {
            Assert.Contains(note, resolved.Note, StringComparison.Ordinal);
            Assert.Contains(zone.Id, resolved.Note, StringComparison.Ordinal);
        }
    }

    /// <summary>A date alone is the whole local day, however long DST makes it.</summary>
    [Theory]
    [InlineData("Europe/Berlin", "2026-12-04", "2026-12-03T23:00:00Z", 24)]
    [InlineData("Europe/Berlin", "2026-10-25", "2026-10-24T22:00:00Z", 25)]
    [InlineData("Europe/Berlin", "2026-03-29", "2026-03-28T23:00:00Z", 23)]
    [InlineData("America/New_York", "2026-11-01", "2026-11-01T04:00:00Z", 25)]
    [InlineData("America/New_York", "2026-03-08", "2026-03-08T05:00:00Z", 23)]
    [InlineData("America/Los_Angeles", "2026-12-03", "2026-12-03T08:00:00Z", 24)]
    [InlineData("Australia/Sydney", "2026-10-04", "2026-10-03T14:00:00Z", 23)]
    [InlineData("Asia/Kolkata", "2026-12-04", "2026-12-03T18:30:00Z", 24)]
    public void StartAndEnd_OfTheSameBareDate_SpanThatWholeDay(string zoneId, string date, string expectedStartUtc, int hours)
    {
        Assert.True(ZoneNames.TryFind(zoneId, out var zone, out _));
        Assert.True(TimeArgument.TryParse(date, out var day));

        var start = CallerTime.Start(day!, zone).Instant;
        var end = CallerTime.End(day!, zone).Instant;

        Assert.Equal(DateTimeOffset.Parse(expectedStartUtc, System.Globalization.CultureInfo.InvariantCulture), start.ToDateTimeOffset());
        Assert.Equal(Duration.FromHours(hours), end - start);
    }

    [Theory]
    [InlineData("europe/berlin", "Europe/Berlin")]
    [InlineData("W. Europe Standard Time", "Europe/Berlin")]
    [InlineData("Eastern Standard Time", "America/New_York")]
    [InlineData("UTC", "UTC")]
    public void TryFind_IanaAnyCase_OrAWindowsId_IsTheIanaZone(string name, string expected)
    {
        Assert.True(ZoneNames.TryFind(name, out var zone, out _));
        Assert.Equal(expected, zone.Id);
    }

    [Theory]
    [InlineData("EST")]
    [InlineData("CET")]
    [InlineData("PST")]
    [InlineData("Mars/Olympus")]
    public void TryFind_AbbreviationsAndUnknownNames_AreRefusedWithAHint(string name)
    {
        Assert.False(ZoneNames.TryFind(name, out _, out var problem));
        Assert.Contains("America/New_York", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-12-04", "2026-12-04", "on Fri 4 Dec")]
    [InlineData("2026-12-04", "2026-12-06", "from Fri 4 Dec to Sun 6 Dec")]
    [InlineData("2026-12-04T09:00", "2026-12-04T17:00", "between Fri 4 Dec 09:00 and 17:00")]
    [InlineData("2026-12-04T22:00", "2026-12-05T02:00", "between Fri 4 Dec 22:00 and Sat 5 Dec 02:00")]
    public void Range_ReadsAsEnglish(string start, string end, string expected)
    {
        Assert.True(ZoneNames.TryFind("Europe/Berlin", out var zone, out _));
        Assert.True(TimeArgument.TryParse(start, out var from));
        Assert.True(TimeArgument.TryParse(end, out var to));

        Assert.Equal(expected, Spoken.Range(CallerTime.Start(from!, zone).Instant, CallerTime.End(to!, zone).Instant, zone));
    }
}
