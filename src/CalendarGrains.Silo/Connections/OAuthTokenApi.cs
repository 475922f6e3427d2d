using System.Net.Http.Headers;
using System.Text;
using CalendarGrains.Connections;

namespace CalendarGrains.Silo.Connections;

/// <summary>
/// <c>POST /oauth2/token</c>: the OAuth 2.0 client-credentials grant Vapi's custom credential
/// uses. The client id is the connection id, the secret the one issued by
/// <c>vapi-custom-credential</c>; the answer is the connection's Google access token. Errors
/// follow RFC 6749 (JSON <c>error</c>), not problem+json: an OAuth client reads them.
/// </summary>
public static class OAuthTokenApi
{
    public const string Path = "/oauth2/token";

    public static IEndpointRouteBuilder MapOAuthTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, IssueAsync).AllowAnonymous().DisableAntiforgery().WithTags("Connections")
            .WithName("OAuthToken").WithSummary("Client-credentials grant for Vapi custom credentials: returns the connection's Google access token.");
        return app;
    }

    private static async Task<IResult> IssueAsync(HttpRequest request, IGrainFactory grains)
    {
        if (!IsUrlEncodedForm(request))
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "Send an application/x-www-form-urlencoded body.");
        }

        var form = await ReadFormAsync(request);
        if (form is null)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid_request", "The form could not be read (too many fields, invalid characters, or too large).");
        }

        if (form["grant_type"] != "client_credentials")
        {
            return Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only grant_type=client_credentials is supported.");
        }

        var (clientId, clientSecret, usedBasic) = ClientCredentials(request, form);
        if (!ClientIds.TryParse(clientId, out var key) || string.IsNullOrEmpty(clientSecret))
        {
            return InvalidClient(usedBasic);
        }

        var result = await grains.GetGrain<IConnectionGrain>(key).GetAccessTokenForClientAsync(clientSecret, new TokenRequest());
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return result switch
        {
            TokenIssued issued => Results.Json(new OAuthTokenResponse(issued.AccessToken, "Bearer", ExpiresIn(issued, request.HttpContext))),
            TokenNeedsReauth => Error(StatusCodes.Status400BadRequest, "invalid_grant", "The connection needs to be reconnected by its user."),
            TokenProviderUnavailable or TokenClientRejected => Error(StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", "Google could not issue a token; retry shortly."),
            _ => InvalidClient(usedBasic),
        };
    }

    /// <summary>RFC 6749 §4.4.2: the body is <c>application/x-www-form-urlencoded</c>; multipart is not an OAuth token request.</summary>
    private static bool IsUrlEncodedForm(HttpRequest request) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
        && mediaType.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>The form, or null when it cannot be read: over the form reader's limits (1,024 fields), a NUL, a body cut short.</summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpRequest request)
    {
        try
        {
            return await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>RFC 6749 §2.3.1: HTTP Basic (form-urlencoded id and secret) or the form members.</summary>
    private static (string? Id, string? Secret, bool UsedBasic) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            && header.Parameter is { } encoded)
        {
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
                var colon = pair.IndexOf(':', StringComparison.Ordinal);
                return colon < 0
                    ? (null, null, true)
                    : (Uri.UnescapeDataString(pair[..colon].Replace('+', ' ')), Uri.UnescapeDataString(pair[(colon + 1)..].Replace('+', ' ')), true);
            }
            catch (FormatException)
            {
                return (null, null, true);
            }
        }

        return (form["client_id"], form["client_secret"], false);
    }

    private static int ExpiresIn(TokenIssued issued, HttpContext context)
    {
        var time = context.RequestServices.GetRequiredKeyedService<TimeProvider>(CalendarGrains.Common.ServiceTime.Key);
        return Math.Max(0, (int)(issued.ExpiresAt - time.GetUtcNow()).TotalSeconds);
    }

    private static InvalidClientResult InvalidClient(bool usedBasic) => new(usedBasic);

    private static IResult Error(int status, string error, string description) =>
        Results.Json(new OAuthError(error, description), statusCode: status);

    private sealed record OAuthTokenResponse(
        [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
        [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
        [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn);

    private sealed record OAuthError(
        [property: System.Text.Json.Serialization.JsonPropertyName("error")] string Error,
        [property: System.Text.Json.Serialization.JsonPropertyName("error_description")] string ErrorDescription);

    /// <summary>401 invalid_client, with the Basic challenge RFC 6749 asks for when Basic was used.</summary>
    private sealed class InvalidClientResult(bool usedBasic) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (usedBasic)
            {
                httpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"calendargrains\"";
            }

            return Error(StatusCodes.Status401Unauthorized, "invalid_client", "Unknown client or wrong client secret.").ExecuteAsync(httpContext);
        }
    }
}
