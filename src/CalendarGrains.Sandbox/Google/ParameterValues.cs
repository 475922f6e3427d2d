using Microsoft.Extensions.Primitives;

namespace CalendarGrains.Sandbox.Google;

internal static class ParameterValues
{
    /// <summary>The first value of a query or form parameter, or null when it is absent.</summary>
    public static string? FirstOrNull(this StringValues values) => values.Count > 0 ? values[0] : null;
}
