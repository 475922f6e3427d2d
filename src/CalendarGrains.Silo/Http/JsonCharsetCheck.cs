using Microsoft.Net.Http.Headers;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// A JSON body whose <c>charset</c> names no encoding .NET knows (<c>application/json; charset=bogus</c>)
/// is refused with 415 before an endpoint reads it: the framework's JSON reader would throw an
/// exception that says nothing about the caller's mistake, and answer 500.
/// </summary>
public static class JsonCharsetCheck
{
    /// <remarks>
    /// Note: every request passes here, the token hot path included, so a content type without the
    /// word <c>charset</c> costs one search and no parsing, and a request that goes on costs no
    /// state machine.
    /// </remarks>
    public static IApplicationBuilder UseJsonCharsetCheck(this IApplicationBuilder app) => app.Use(next => context =>
    {
        var contentType = context.Request.ContentType;
        return contentType is not null && contentType.Contains("charset", StringComparison.OrdinalIgnoreCase) && HasUnknownCharset(contentType)
            ? RefuseAsync(context)
            : next(context);
    });

    private static async Task RefuseAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Title = "Unsupported media type",
                Detail = "The charset of the JSON body is not one this service can read; send UTF-8.",
                Type = ProblemCodes.TypeOf(ProblemCodes.UnsupportedMediaType),
                Extensions = { ["code"] = ProblemCodes.UnsupportedMediaType },
            },
        });
    }

    /// <summary>Only JSON media types: the form reader falls back to UTF-8 on its own.</summary>
    public static bool HasUnknownCharset(string contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase))
        && mediaType.Charset.HasValue
        && mediaType.Encoding is null;
}
