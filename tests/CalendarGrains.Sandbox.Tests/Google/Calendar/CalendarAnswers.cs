using System.Net;
using System.Text.Json;

namespace CalendarGrains.Sandbox.Tests.Google.Calendar;

/// <summary>Reading Google's Calendar answers: errors in Google's shape, events and busy intervals.</summary>
public static class CalendarAnswers
{
    /// <summary>Asserts a Google API error body with this status and <c>errors[0].reason</c>; answers the error object.</summary>
    public static JsonElement AssertError(this OAuthAnswer answer, HttpStatusCode status, string reason)
    {
        Assert.True(answer.Status == status, $"Expected {(int)status} {reason}, got {(int)answer.Status}: {answer.Body}");
        Assert.Equal("application/json", answer.MediaType);
        var error = answer.Body.GetProperty("error");
        Assert.Equal((int)status, error.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(reason, error.GetProperty("errors")[0].GetProperty("reason").GetString());
        return error;
    }

    public static void AssertOk(this OAuthAnswer answer) =>
        Assert.True(answer.Status == HttpStatusCode.OK, $"Expected 200, got {(int)answer.Status}: {answer.Body}");

    public static string[] Ids(this OAuthAnswer list) =>
        list.Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToArray();

    public static string[] Summaries(this OAuthAnswer list) =>
        list.Body.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("summary").GetString()!).ToArray();

    /// <summary>The busy intervals of one calendar of a freeBusy answer, as the strings Google wrote.</summary>
    public static (string Start, string End)[] Busy(this OAuthAnswer freeBusy, string calendarId = "primary") =>
        freeBusy.Body.GetProperty("calendars").GetProperty(calendarId).GetProperty("busy").EnumerateArray()
            .Select(b => (b.GetProperty("start").GetString()!, b.GetProperty("end").GetString()!))
            .ToArray();

    /// <summary>A timed event body, the way a client writes one.</summary>
    public static string TimedEvent(string summary, string start, string end, string? timeZone = null, string extra = "")
    {
        var zone = timeZone is null ? "" : $",\"timeZone\":\"{timeZone}\"";
        return $$"""{"summary":"{{summary}}","start":{"dateTime":"{{start}}"{{zone}}},"end":{"dateTime":"{{end}}"{{zone}}}{{extra}}}""";
    }

    public static string FreeBusyQuery(string timeMin, string timeMax, string? timeZone = null, params string[] ids)
    {
        var zone = timeZone is null ? "" : $",\"timeZone\":\"{timeZone}\"";
        var items = string.Join(',', (ids.Length == 0 ? ["primary"] : ids).Select(id => $"{{\"id\":\"{id}\"}}"));
        return $$"""{"timeMin":"{{timeMin}}","timeMax":"{{timeMax}}"{{zone}},"items":[{{items}}]}""";
    }
}
