using System.Globalization;
using CalendarGrains.Calls;
using CalendarGrains.Connections;

namespace CalendarGrains.Silo.WebConsole.Shared;

/// <summary>How the console writes statuses and times: the API's wire names, UTC, and how long ago.</summary>
public static class Labels
{
    public static string Of(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Active => "active",
        ConnectionStatus.NeedsReauth => "needs_reauth",
        _ => "revoked",
    };

    public static string Of(CallStatus status) => CallStatuses.WireName(status);

    /// <summary>The badge's CSS class: good, waiting, live, bad or done.</summary>
    public static string Tone(ConnectionStatus status) => status switch
    {
        ConnectionStatus.Active => "good",
        ConnectionStatus.NeedsReauth => "bad",
        _ => "done",
    };

    public static string Tone(CallStatus status) => status switch
    {
        CallStatus.Pending => "waiting",
        CallStatus.Dispatching or CallStatus.Queued or CallStatus.Ringing or CallStatus.InProgress or CallStatus.Forwarding => "live",
        CallStatus.Failed => "bad",
        _ => "done",
    };

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        var future = span < TimeSpan.Zero;
        span = span.Duration();
        var text = span.TotalSeconds < 60 ? $"{(int)span.TotalSeconds} s"
            : span.TotalMinutes < 60 ? $"{(int)span.TotalMinutes} min"
            : span.TotalHours < 48 ? $"{(int)span.TotalHours} h"
            : $"{(int)span.TotalDays} d";
        return future ? $"in {text}" : $"{text} ago";
    }
}
