namespace CalendarGrains.Tests.Infrastructure;

/// <summary>What a healthy run may log: nothing at Warning or above, but for the few lines below.</summary>
public static class QuietLog
{
    /// <summary>
    /// Category and start of the message of the warnings a healthy run may still log.
    /// A platform stall says something about the machine, not the service: on a shared 2-core test
    /// machine a thread can be starved for seconds, and Orleans rightly reports it.
    /// The server-GC notes: an in-process host runs in the test runner's process, whose GC is the
    /// runner's; the service's own binaries turn server GC on (a test checks their runtimeconfig).
    /// </summary>
    private static readonly (string Category, string Message)[] Allowed =
    [
        ("Orleans.Runtime.Watchdog", ".NET Runtime Platform stalled"),
        ("Orleans.Runtime.Silo", "Note: Silo not running with ServerGC turned on"),
        ("Orleans.Runtime.Silo", "Note: ServerGC only kicks in on multi-core systems"),
    ];

    /// <summary>The <see cref="LogCapture"/> lines at Warning or above that are not allowed.</summary>
    public static IReadOnlyList<string> Loud(LogCapture logs) =>
    [
        .. logs.Lines.Where(line => line.StartsWith("Warning ", StringComparison.Ordinal)
            || line.StartsWith("Error ", StringComparison.Ordinal)
            || line.StartsWith("Critical ", StringComparison.Ordinal))
            .Where(line => !Allowed.Any(allowed => line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].StartsWith($"{allowed.Category}: {allowed.Message}", StringComparison.Ordinal))),
    ];

    /// <summary>
    /// The entries at Warning or above of a process's console log (<c>warn: Category[id]</c>, the
    /// message on the next line), header and message joined, that are not allowed.
    /// </summary>
    public static IReadOnlyList<string> Loud(string consoleOutput)
    {
        var lines = consoleOutput.Split('\n').Select(line => line.TrimEnd('\r')).ToList();
        var loud = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (!(lines[i].StartsWith("warn: ", StringComparison.Ordinal) || lines[i].StartsWith("fail: ", StringComparison.Ordinal) || lines[i].StartsWith("crit: ", StringComparison.Ordinal)))
            {
                continue;
            }

            var category = lines[i][6..].Split('[')[0];
            var message = i + 1 < lines.Count ? lines[i + 1].Trim() : "";
            if (!Allowed.Any(allowed => category == allowed.Category && message.StartsWith(allowed.Message, StringComparison.Ordinal)))
            {
                loud.Add($"{lines[i]} {message}");
            }
        }

        return loud;
    }
}
