namespace CalendarGrains.Tests.Infrastructure;

/// <summary>What a healthy run may log: nothing at Warning or above, but for the few lines below.</summary>
public static class QuietLog
{
    /// <summary>
    /// Category and start of the message of the warnings a healthy run may still log.
    /// A platform stall says something about the machine, not the service: on a shared 2-core test
    /// machine a thread can be starved for seconds, and Orleans rightly reports it.
    /// So is a slow work item of Orleans' own system targets (e.g. the reminder service starting
    /// while the machine runs other tests): only a grain's long turn would be ours, and it stays loud.
    /// So is Orleans timing its own membership agent's stop: when the two silos of
    /// <c>scripts/local-cluster</c> stop together it took 2.8–3.6 s (once on a quiet machine), a note about
    /// Orleans' leave protocol, not a fault; a slow stage of anything else stays loud.
    /// The server-GC notes: an in-process host runs in the test runner's process, whose GC is the
    /// runner's; the service's own binaries turn server GC on (a test checks their runtimeconfig).
    /// </summary>
    private static readonly (string Category, Func<string, bool> Message)[] Allowed =
    [
        ("Orleans.Runtime.Watchdog", message => message.StartsWith(".NET Runtime Platform stalled", StringComparison.Ordinal)),
        ("Orleans.Runtime.Scheduler.WorkItemGroup", message => message.Contains("Ctx=[SystemTarget:", StringComparison.Ordinal) && message.Contains("which is longer than", StringComparison.Ordinal)),
        ("Orleans.Runtime.SiloLifecycleSubject", message => message.StartsWith("'MembershipAgent' stopped in stage", StringComparison.Ordinal)),
        ("Orleans.Runtime.Silo", message => message.StartsWith("Note: Silo not running with ServerGC turned on", StringComparison.Ordinal)),
        ("Orleans.Runtime.Silo", message => message.StartsWith("Note: ServerGC only kicks in on multi-core systems", StringComparison.Ordinal)),
    ];

    /// <summary>The <see cref="LogCapture"/> lines at Warning or above that are not allowed.</summary>
    public static IReadOnlyList<string> Loud(LogCapture logs) =>
    [
        .. logs.Lines.Where(line => line.StartsWith("Warning ", StringComparison.Ordinal)
            || line.StartsWith("Error ", StringComparison.Ordinal)
            || line.StartsWith("Critical ", StringComparison.Ordinal))
            .Where(line => !IsAllowed(line.Split(' ', 3)[1].TrimEnd(':'), line.Split(' ', 3)[2])),
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
            if (!IsAllowed(category, message))
            {
                loud.Add($"{lines[i]} {message}");
            }
        }

        return loud;
    }

    private static bool IsAllowed(string category, string message) =>
        Allowed.Any(allowed => category == allowed.Category && allowed.Message(message));
}
