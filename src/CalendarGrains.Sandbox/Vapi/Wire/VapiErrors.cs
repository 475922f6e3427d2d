using Microsoft.AspNetCore.WebUtilities;

namespace CalendarGrains.Sandbox.Vapi.Wire;

/// <summary>Vapi's error responses.</summary>
internal static class VapiErrors
{
    public static IResult Unauthorized() => Error(
        StatusCodes.Status401Unauthorized,
        "Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.");

    public static IResult NotFound(string message = "Not Found") => Error(StatusCodes.Status404NotFound, message);

    /// <summary>Validation messages: Vapi answers them as an array.</summary>
    public static IResult BadRequest(IReadOnlyList<string> messages) => Error(StatusCodes.Status400BadRequest, messages);

    /// <summary>A rule of Vapi's own: a single string.</summary>
    public static IResult BadRequest(string message) => Error(StatusCodes.Status400BadRequest, message);

    public static IResult PayloadTooLarge() => Error(StatusCodes.Status413PayloadTooLarge, "request entity too large");

    /// <summary>An injected failure, with the message NestJS (Vapi's framework) puts in such responses.</summary>
    public static IResult Injected(int statusCode) => Error(statusCode, statusCode switch
    {
        StatusCodes.Status429TooManyRequests => "ThrottlerException: Too Many Requests",
        StatusCodes.Status500InternalServerError => "Internal server error",
        _ => ReasonPhrases.GetReasonPhrase(statusCode),
    });

    private static IResult Error(int statusCode, object message) => Results.Json(
        new VapiErrorBody(message, ReasonPhrases.GetReasonPhrase(statusCode), statusCode),
        VapiJson.Options,
        statusCode: statusCode);
}
