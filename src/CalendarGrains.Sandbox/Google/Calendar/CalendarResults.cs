using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Features;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>Reading request bodies and writing answers in the Calendar API's own JSON.</summary>
internal static class CalendarResults
{
    /// <summary>Far above any real event; keeps a calendar of 10,000 events from holding gigabytes.</summary>
    private const long MaxBodyBytes = 256 * 1024;

    private const string Realm = "Bearer realm=\"https://accounts.google.com/\"";

    public static IResult Json<T>(T value, JsonTypeInfo<T> type) => TypedResults.Json(value, type);

    public static IResult Error(HttpContext context, CalendarApiError error)
    {
        // RFC 6750 §3: Google challenges a missing token plainly, a bad one and a narrow one with an error code.
        if (error == CalendarApiError.MissingCredentials)
        {
            context.Response.Headers.WWWAuthenticate = Realm;
        }
        else if (error == CalendarApiError.InvalidCredentials)
        {
            context.Response.Headers.WWWAuthenticate = Realm + ", error=\"invalid_token\"";
        }
        else if (error == CalendarApiError.InsufficientScopes)
        {
            context.Response.Headers.WWWAuthenticate = Realm + ", error=\"insufficient_scope\"";
        }

        return TypedResults.Json(error.ToBody(), CalendarWireJson.Default.ApiErrorBody, statusCode: error.Status);
    }

    /// <summary>The JSON body, or Google's <c>parseError</c> when it is missing or not that JSON.</summary>
    public static async Task<(T? Body, CalendarApiError? Error)> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> type)
        where T : class
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit
            && (limit.MaxRequestBodySize is null || limit.MaxRequestBodySize > MaxBodyBytes))
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            return body is null ? (null, CalendarApiError.ParseError) : (body, null);
        }
        catch (JsonException)
        {
            return (null, CalendarApiError.ParseError);
        }
    }
}
