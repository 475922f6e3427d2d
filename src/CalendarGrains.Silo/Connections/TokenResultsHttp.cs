using System.Globalization;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Connections;

/// <summary>How each token result answers over HTTP (docs/api.md).</summary>
public static class TokenResultsHttp
{
    public const string NeedsReauthCode = "connection_needs_reauth";
    public const string ProviderUnavailableCode = "provider_unavailable";
    public const string ClientRejectedCode = "provider_client_rejected";

    public static Results<Ok<AccessTokenResponse>, ProblemHttpResult> ToHttp(TokenResult result, HttpResponse response) => result switch
    {
        TokenIssued issued => TypedResults.Ok(new AccessTokenResponse(issued.AccessToken, "Bearer", issued.ExpiresAt, issued.Scopes)),
        TokenNeedsReauth reauth => Problems.Of(StatusCodes.Status409Conflict, NeedsReauthCode, "The connection needs to be reconnected",
            "Google no longer accepts this connection's grant; the end user must connect again.", LastError(reauth.Error)),
        TokenClientRejected rejected => WithRetryAfter(response, rejected.RetryAfter, Problems.Of(StatusCodes.Status502BadGateway, ClientRejectedCode,
            "Google rejected the tenant's OAuth client", rejected.Error.Message, LastError(rejected.Error))),
        TokenProviderUnavailable unavailable => WithRetryAfter(response, unavailable.RetryAfter, Problems.Of(StatusCodes.Status503ServiceUnavailable, ProviderUnavailableCode,
            "Google is unavailable", "Google could not issue a token and no cached token is still valid; retry after the given delay.", LastError(unavailable.Error))),
        _ => Problems.NotFound("connection"),
    };

    public static ProblemHttpResult WithRetryAfter(HttpResponse response, TimeSpan retryAfter, ProblemHttpResult problem)
    {
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return problem;
    }

    private static Dictionary<string, object?> LastError(ConnectionError error) =>
        new() { ["lastError"] = new ConnectionErrorResource(error.Code, error.Message, error.At) };
}
