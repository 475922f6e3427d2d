using CalendarGrains.Common;

namespace CalendarGrains.Calls;

/// <summary>Call ids: <c>call_</c> and a lower-case ULID, so the list indexes page them in creation order.</summary>
public static class CallIds
{
    public const string Prefix = "call_";

    public static string New(TimeProvider time) => Ids.New(Prefix, time);

    /// <summary>Only ids this service issued (<c>call_</c> and a ULID): anything else activates no grain.</summary>
    public static bool IsPlausible([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? id) => Ids.IsNew(id, Prefix);
}
