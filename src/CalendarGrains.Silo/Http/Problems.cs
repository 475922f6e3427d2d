using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Http;

/// <summary>Typed problem results with a stable code; the problem details service adds type and trace id.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var members = new Dictionary<string, object?>(StringComparer.Ordinal) { ["code"] = code };
        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                members[key] = value;
            }
        }

        return TypedResults.Problem(detail, statusCode: status, title: title, type: ProblemCodes.TypeOf(code), extensions: members);
    }

    public static ProblemHttpResult NotFound(string what) =>
        Of(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "Not found", $"No {what} with that id.");

    /// <summary>400 invalid_request with one error for one field, in the shape validation uses.</summary>
    public static ProblemHttpResult InvalidField(string field, string message) =>
        Of(StatusCodes.Status400BadRequest, ProblemCodes.InvalidRequest, "The request is not valid", message,
            new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [field] = [message] } });

    public static ProblemHttpResult Conflict(string code, string detail) =>
        Of(StatusCodes.Status409Conflict, code, "Conflict", detail);
}
