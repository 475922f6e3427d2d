using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Http;

/// <summary>The <c>limit</c> and <c>cursor</c> of a list request, checked once for every list route.</summary>
public static class ListQuery
{
    public static bool TryRead(int? limit, string? cursor, out int pageSize, out string? after, out ProblemHttpResult? problem)
    {
        pageSize = limit ?? Cursor.DefaultLimit;
        after = null;
        problem = null;
        if (pageSize is < 1 or > Cursor.MaxLimit)
        {
            problem = Problems.InvalidField("limit", $"limit must be between 1 and {Cursor.MaxLimit}.");
            return false;
        }

        if (!Cursor.TryDecode(cursor, out after))
        {
            problem = Problems.InvalidField("cursor", "cursor is not a cursor this API returned.");
            return false;
        }

        return true;
    }
}
