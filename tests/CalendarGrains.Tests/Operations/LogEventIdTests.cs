using System.Reflection;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Tests.Operations;

/// <summary>
/// A log event id names one event in the whole process (the sandbox host runs the service and the
/// emulators together), so an alert or a filter on an id means one thing. Ranges by area:
/// 1–99 host and HTTP (11 auth, 21 drain, 31 grain calls resent after a silo loss, 51–52 the
/// sandbox host), 101–199 Google (111 Calendar), 201–299 connections, 301 connect sessions, 401–499
/// Vapi client, 501–599 call queue, 601–699 calls, 701 Vapi events, 801 calendar tools, 901–999
/// webhooks, 1001 telemetry, 1101–1199 phone numbers (inbound calls), 1301–1399 Nango, 1601–1699
/// the console, 10001+ the emulators.
/// </summary>
public sealed class LogEventIdTests
{
    private static readonly string[] Assemblies = ["CalendarGrains.Grains", "CalendarGrains.Silo", "CalendarGrains.Sandbox.Host", "CalendarGrains.Sandbox"];

    [Fact]
    public void EveryLogEventId_IsUsedOnce_AcrossTheService()
    {
        var events = Assemblies
            .SelectMany(name => Assembly.Load(name).GetTypes())
            .SelectMany(type => type.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(method => (Method: $"{method.DeclaringType!.FullName}.{method.Name}", Attribute: method.GetCustomAttribute<LoggerMessageAttribute>()))
            .Where(e => e.Attribute is not null)
            .ToList();

        Assert.True(events.Count > 50, $"only {events.Count} [LoggerMessage] methods found: the search is broken");
        var shared = events.GroupBy(e => e.Attribute!.EventId).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g.Select(e => e.Method))}").ToList();
        Assert.True(shared.Count == 0, "event ids used twice:\n" + string.Join('\n', shared));
        Assert.DoesNotContain(events, e => e.Attribute!.EventId == 0);
    }
}
