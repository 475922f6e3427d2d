using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Tests.Calls;
using CalendarGrains.Tests.Infrastructure;
using StackExchange.Redis;

namespace CalendarGrains.Tests.Chaos;

/// <summary>
/// What a chaos run keeps so that a failure explains itself: a timeline on the test's clock (the
/// kill, the restart, every attempt to place a call and its answer), every silo process it started
/// (the killed one's output included), and, for a call, what Redis holds about it (its place in
/// the line, the queue's stored slots, the watch reminders). <see cref="WriteAsync"/> puts it all in
/// <c>chaos-failure.txt</c> beside the test binaries.
/// </summary>
public sealed class ChaosDiagnosis(RedisServer redis, string serviceId)
{
    private readonly ConcurrentQueue<string> _timeline = new();
    private readonly List<(int Index, SiloProcess Process)> _processes = [];

    public string TenantId { get; set; } = "";

    /// <summary>Notes an event at <paramref name="at"/> on the test's clock.</summary>
    public void Note(TimeSpan at, string what) => _timeline.Enqueue(string.Create(CultureInfo.InvariantCulture, $"t={at.TotalSeconds,7:F2}s {what}"));

    public void Started(int index, SiloProcess process)
    {
        lock (_processes)
        {
            _processes.Add((index, process));
        }
    }

    /// <summary>Writes the failure and everything known about it; <paramref name="callIds"/> are the calls it concerns.</summary>
    public async Task WriteAsync(Exception failure, IReadOnlyCollection<string> callIds, VapiEmulator vapi)
    {
        var file = Path.Combine(AppContext.BaseDirectory, "chaos-failure.txt");
        var text = new StringBuilder();
        text.AppendLine("# Chaos failure").AppendLine().AppendLine(failure.ToString()).AppendLine();
        text.AppendLine("## Timeline (test clock)").AppendJoin('\n', _timeline).AppendLine().AppendLine();
        await File.WriteAllTextAsync(file, text.ToString(), CancellationToken.None); // the failure first, whatever happens below

        // Note: each section on its own: a diagnosis that fails must not hide the rest.
        foreach (var callId in callIds)
        {
            await SectionAsync(text, $"call {callId}", () => DescribeCallAsync(text, callId, vapi));
        }

        await SectionAsync(text, "queue", () => DescribeQueueAsync(text));
        List<(int Index, SiloProcess Process)> processes;
        lock (_processes)
        {
            processes = [.. _processes];
        }

        foreach (var (index, process) in processes)
        {
            var generation = processes.TakeWhile(p => p.Process != process).Count(p => p.Index == index) + 1;
            text.AppendLine(CultureInfo.InvariantCulture, $"## Silo {index} (port {process.BaseUrl.Port}), process {generation} on that port");
            await SectionAsync(text, "metrics", () => AppendMetricsAsync(text, process));
            var lines = process.Output.Split('\n');
            var aboutCalls = lines.Where(l => callIds.Any(id => l.Contains(id, StringComparison.Ordinal))).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"### log lines naming the call(s): {aboutCalls.Count}").AppendJoin('\n', aboutCalls).AppendLine();
            var warnings = lines.Where(l => l.Contains("warn:", StringComparison.Ordinal) || l.Contains("fail:", StringComparison.Ordinal) || l.Contains("crit:", StringComparison.Ordinal)).ToList();
            text.AppendLine(CultureInfo.InvariantCulture, $"### warnings and errors: {warnings.Count} (the last 60)").AppendJoin('\n', warnings.TakeLast(60)).AppendLine().AppendLine();
        }

        await File.WriteAllTextAsync(file, text.ToString(), CancellationToken.None);
    }

    private static async Task SectionAsync(StringBuilder text, string what, Func<Task> describe)
    {
        try
        {
            await describe();
        }
        catch (Exception e)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"({what}: could not be described: {e})").AppendLine();
        }
    }

    private async Task DescribeCallAsync(StringBuilder text, string callId, VapiEmulator vapi)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"## Call {callId}");
        var atVapi = vapi.CreatedCalls().Where(c => CallScenario.OurCallId(c) == callId).Select(c => $"{c.CallId} {c.Status} {c.EndedReason}").ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"at Vapi: [{string.Join("; ", atVapi)}]");
        var database = redis.Connection.GetDatabase();
        var waiting = await database.SortedSetRangeByRankAsync(IndexKey(CallIndexSets.Waiting(TenantId)));
        var inLine = waiting.Select(m => m.ToString()).Where(m => m.EndsWith("|" + callId, StringComparison.Ordinal)).ToList();
        text.AppendLine(CultureInfo.InvariantCulture, $"in the line (index): {(inLine.Count == 0 ? "no" : string.Join(", ", inLine))}");
        var queueStates = await StoredStatesAsync($"*callqueue*{TenantId}*");
        text.AppendLine(CultureInfo.InvariantCulture, $"in the queue's stored slots: {(queueStates.Any(s => s.Value.Contains(callId, StringComparison.Ordinal)) ? "yes" : "no")}");
        var reminders = await RemindersAsync(callId);
        text.AppendLine(CultureInfo.InvariantCulture, $"its watch reminder: {(reminders.Count == 0 ? "none" : string.Join("; ", reminders))}");
        foreach (var line in _timeline.Where(l => l.Contains(callId, StringComparison.Ordinal)))
        {
            text.AppendLine(line);
        }

        text.AppendLine();
    }

    private async Task DescribeQueueAsync(StringBuilder text)
    {
        var database = redis.Connection.GetDatabase();
        var waiting = await database.SortedSetRangeByRankAsync(IndexKey(CallIndexSets.Waiting(TenantId)));
        text.AppendLine(CultureInfo.InvariantCulture, $"## Tenant {TenantId}'s queue");
        text.AppendLine(CultureInfo.InvariantCulture, $"waiting (index): {waiting.Length} [{string.Join(", ", waiting.Select(m => m.ToString()))}]");
        foreach (var (key, stored) in await StoredStatesAsync($"*callqueue*{TenantId}*"))
        {
            // Orleans' binary format; the call ids in its slots read as text.
            text.AppendLine(CultureInfo.InvariantCulture, $"stored {key}: call ids in its slots: [{string.Join(", ", CallIdsIn(stored))}]");
        }

        var reminders = await RemindersAsync("callqueue/" + TenantId);
        text.AppendLine(CultureInfo.InvariantCulture, $"its watch reminder: {(reminders.Count == 0 ? "none" : string.Join("; ", reminders))}").AppendLine();
    }

    private static async Task AppendMetricsAsync(StringBuilder text, SiloProcess process)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var scrape = await process.Http.GetStringAsync("/metrics", timeout.Token);
            text.AppendLine("### call metrics").AppendJoin('\n', scrape.Split('\n').Where(l => l.StartsWith("calendargrains_calls", StringComparison.Ordinal))).AppendLine();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or ObjectDisposedException)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### call metrics: not reachable ({e.GetType().Name})");
        }
    }

    private RedisKey IndexKey(string set) => $"{serviceId}/index/{set}";

    /// <summary>Stored grain states whose key matches, decoded leniently (strings inside read as text).</summary>
    private async Task<List<(string Key, string Value)>> StoredStatesAsync(string pattern)
    {
        var server = redis.Connection.GetServer(redis.Connection.GetEndPoints()[0]);
        var database = redis.Connection.GetDatabase();
        var states = new List<(string, string)>();
        await foreach (var key in server.KeysAsync(pattern: serviceId + pattern))
        {
            if (key.ToString().Contains("/index/", StringComparison.Ordinal))
            {
                continue;
            }

            var values = await database.KeyTypeAsync(key) switch
            {
                RedisType.Hash => (await database.HashGetAllAsync(key)).Where(entry => entry.Name != "etag").Select(entry => (entry.Name.ToString(), entry.Value)),
                RedisType.String => [("", await database.StringGetAsync(key))],
                _ => [],
            };
            states.AddRange(values.Where(v => v.Item2.HasValue).Select(v => ($"{key} {v.Item1}".Trim(), Encoding.Latin1.GetString((byte[])v.Item2!))));
        }

        return states;
    }

    private async Task<List<string>> RemindersAsync(string grainKey)
    {
        var members = await redis.Connection.GetDatabase().SortedSetRangeByRankAsync($"{serviceId}/reminders");
        return [.. members.Select(m => m.ToString()).Where(m => m.Contains(grainKey, StringComparison.Ordinal))];
    }

    private static IEnumerable<string> CallIdsIn(string stored)
    {
        for (var at = stored.IndexOf(CallIds.Prefix, StringComparison.Ordinal); at >= 0; at = stored.IndexOf(CallIds.Prefix, at + 1, StringComparison.Ordinal))
        {
            var end = at + CallIds.Prefix.Length;
            while (end < stored.Length && char.IsAsciiLetterOrDigit(stored[end]))
            {
                end++;
            }

            yield return stored[at..end];
        }
    }
}
