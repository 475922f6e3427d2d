using CalendarGrains.Silo.Tools;
using CsCheck;
using NodaTime;

namespace CalendarGrains.Tests.Tools;

/// <summary>
/// Property-based checks (CsCheck) of what check_availability offers, over random zones, days (DST
/// days weighted in), working hours, busy blocks and meeting lengths.
/// </summary>
public sealed class FreeWindowsPropertyTests
{
    private static readonly string[] Zones =
        ["Europe/Berlin", "America/New_York", "America/Los_Angeles", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "UTC"];

    /// <summary>The DST days of the table test, so the generator lands on them often.</summary>
    private static readonly LocalDate[] DstDays =
    [
        new(2026, 3, 8), new(2026, 3, 29), new(2026, 4, 5), new(2026, 10, 4), new(2026, 10, 25), new(2026, 11, 1),
    ];

    private static readonly Gen<LocalDate> Days = Gen.OneOf(
        Gen.Int[0, 364].Select(d => new LocalDate(2026, 1, 1).PlusDays(d)),
        Gen.OneOf(DstDays));

    private static readonly Gen<IReadOnlyList<DayPart>> DayParts = Gen.OneOf(
        Gen.Const<IReadOnlyList<DayPart>>([]),
        Gen.Select(Gen.Int[0, 22], Gen.Int[1, 24], (startHour, length) =>
            (IReadOnlyList<DayPart>)[startHour + length >= 24
                ? new DayPart(new LocalTime(startHour, 0), null)
                : new DayPart(new LocalTime(startHour, 0), new LocalTime(startHour + length, 0))]),
        Gen.Select(Gen.Int[0, 10], Gen.Int[12, 22], (morning, afternoon) =>
            (IReadOnlyList<DayPart>)[new DayPart(new LocalTime(morning, 0), new LocalTime(morning + 1, 30)), new DayPart(new LocalTime(afternoon, 0), null)]));

    private static readonly Gen<Scenario> Scenarios =
        from zoneId in Gen.OneOf(Zones)
        from day in Days
        from startMinute in Gen.Int[0, 24 * 60 - 1]
        from lengthMinutes in Gen.Int[30, 3 * 24 * 60]
        from parts in DayParts.Array[7]
        from busy in Gen.Select(Gen.Int[-600, 4 * 24 * 60], Gen.Int[5, 600]).Array[0, 10]
        from minutes in Gen.Int[5, 240]
        select new Scenario(zoneId, day, startMinute, lengthMinutes, parts, busy, minutes);

    [Fact]
    public void Compute_OffersOnlyFreeWorkingTimeInsideTheRange_AndABookingOfAnOfferFitsThere() =>
        Scenarios.Sample(scenario =>
        {
            var (from, to, open, busy, minimum) = scenario.Build();

            var free = FreeWindows.Compute(open, busy, minimum);

            for (var i = 0; i < free.Count; i++)
            {
                var window = free[i];
                Assert.True(window.Length >= minimum, $"{window} is shorter than {minimum}");
                Assert.True(window.Start >= from && window.End <= to, $"{window} leaves [{from}, {to})");
                Assert.Contains(open, stretch => window.Start >= stretch.Start && window.End <= stretch.End);
                Assert.DoesNotContain(busy, block => block.Overlaps(window));
                Assert.True(i == 0 || free[i - 1].End <= window.Start, "windows overlap or are out of order");

                // What create_event books when the caller takes the offer: its start, for the meeting's length.
                var booked = new TimeWindow(window.Start, window.Start + minimum);
                Assert.True(booked.Start >= from && booked.End <= to, $"booking {booked} leaves the asked range");
                Assert.DoesNotContain(busy, block => block.Overlaps(booked));
            }
        }, iter: 2000);

    [Fact]
    public void Compute_LeavesOutNoFreeWorkingTimeLongEnoughForTheMeeting() =>
        Scenarios.Sample(scenario =>
        {
            var (_, _, open, busy, minimum) = scenario.Build();

            var free = FreeWindows.Compute(open, busy, minimum);

            foreach (var stretch in open)
            {
                for (var t = stretch.Start; t + minimum <= stretch.End; t += Duration.FromMinutes(15))
                {
                    var slot = new TimeWindow(t, t + minimum);
                    if (!busy.Any(block => block.Overlaps(slot)))
                    {
                        Assert.Contains(free, window => window.Start <= slot.Start && slot.End <= window.End);
                    }
                }
            }
        }, iter: 500);

    public sealed record Scenario(string ZoneId, LocalDate Day, int StartMinute, int LengthMinutes, IReadOnlyList<DayPart>[] Parts, (int Offset, int Length)[] Busy, int Minutes)
    {
        public (Instant From, Instant To, IReadOnlyList<TimeWindow> Open, IReadOnlyList<TimeWindow> Busy, Duration Minimum) Build()
        {
            Assert.True(ZoneNames.TryFind(ZoneId, out var zone, out _));
            var from = CallerTime.At(Day.AtMidnight().PlusMinutes(StartMinute), zone).Instant;
            var to = from + Duration.FromMinutes(LengthMinutes);
            var days = Enumerable.Range(0, 7).ToDictionary(i => (IsoDayOfWeek)(i + 1), i => Parts[i]);
            var open = new WorkingHours(zone, days).Open(from, to).ToList();
            var busy = Busy.Select(b => new TimeWindow(from + Duration.FromMinutes(b.Offset), from + Duration.FromMinutes(b.Offset + b.Length))).ToList();
            return (from, to, open, busy, Duration.FromMinutes(Minutes));
        }
    }
}
