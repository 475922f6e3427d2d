using CalendarGrains.Common;

namespace CalendarGrains.Calls;

/// <summary>Call ids: <c>call_</c> and a lower-case ULID, so the list indexes page them in creation order.</summary>
public static class CallIds
{
    public const string Prefix = "call_";

    public static string New(TimeProvider time) => Ids.New(Prefix, time);

    public static bool IsPlausible(string? id) =>
        id is { Length: > 5 and <= 64 } && id.StartsWith(Prefix, StringComparison.Ordinal) && id.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
