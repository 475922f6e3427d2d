using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Auth;

/// <summary>
/// <c>Authorization: Bearer &lt;key&gt;</c>: the admin key, or a tenant key (<c>cgk_...</c>).
/// The admin key is also taken as the password of HTTP Basic, so a browser can open the
/// dashboard (it asks for a user name and password; the user name is ignored). Both failures
/// (no key, and a key without the right to the route) answer 401 problem+json, as the contract says.
/// </summary>
/// <remarks>
/// Note: an unknown key is no result rather than a failure. The authentication middleware runs
/// for every request, and a failure is logged at Information for each one, including requests
/// whose Bearer token is not ours at all (e.g. a Google token sent to the sandbox's emulators);
/// a route that needs a key challenges either way. Routes marked <see cref="SkipApiKeyAuthentication"/>
/// are not looked at.
/// </remarks>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyResolver resolver,
    AdminKey adminKey,
    IProblemDetailsService problems) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Context.GetEndpoint()?.Metadata.GetMetadata<SkipApiKeyAuthentication>() is not null)
        {
            return AuthenticateResult.NoResult();
        }

        var header = Request.Headers.Authorization.ToString();
        if (BasicPassword(header) is { } password)
        {
            return adminKey.Matches(password) ? Success(Caller.Admin(SchemeName)) : NotRecognised("Basic");
        }

        var bearer = BearerToken(header);
        if (bearer.IsEmpty)
        {
            return AuthenticateResult.NoResult();
        }

        // Tenant keys first: a warm one is a dictionary lookup, without allocating. Only a key
        // that is not a known tenant key is compared with the admin key (a hash), so the hot path
        // never hashes.
        if (resolver.TryResolveWarm(bearer, out var warm) && warm is not null)
        {
            return AuthenticateResult.Success(warm.Ticket);
        }

        var key = bearer.ToString();
        if (await resolver.ResolveAsync(key) is { } resolved)
        {
            return AuthenticateResult.Success(resolved.Ticket);
        }

        return adminKey.Matches(key) ? Success(Caller.Admin(SchemeName)) : NotRecognised("Bearer");
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteUnauthorizedAsync("Send a valid API key as `Authorization: Bearer <key>`.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteUnauthorizedAsync("This API key may not use this route.");

    private async Task WriteUnauthorizedAsync(string detail)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments(Hosting.CalendarGrainsApp.DashboardPath)
            ? "Basic realm=\"CalendarGrains dashboard (password: the admin key)\", charset=\"UTF-8\""
            : "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = detail,
                Type = Http.ProblemCodes.TypeOf(Http.ProblemCodes.Unauthorized),
                Extensions = { ["code"] = Http.ProblemCodes.Unauthorized },
            },
        });
    }

    private AuthenticateResult NotRecognised(string scheme)
    {
        if (Logger.IsEnabled(LogLevel.Debug))
        {
            var path = Telemetry.RequestRedaction.Path(Request.Path); // a connect link's path is a credential
            LogNotRecognised(Logger, scheme, path);
        }

        return AuthenticateResult.NoResult();
    }

    [LoggerMessage(EventId = 11, EventName = "ApiKeyNotRecognised", Level = LogLevel.Debug, Message = "An {Scheme} credential that is no known API key (unknown, revoked or not ours) came with a request for {Path}")]
    private static partial void LogNotRecognised(ILogger logger, string scheme, string path);

    private static AuthenticateResult Success(System.Security.Claims.ClaimsPrincipal principal) =>
        AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));

    private static string? BasicPassword(string header)
    {
        const string Prefix = "Basic ";
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(header[Prefix.Length..].Trim()));
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? null : pair[(colon + 1)..];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The key of <c>Authorization: Bearer &lt;key&gt;</c>; empty when there is none.</summary>
    internal static ReadOnlySpan<char> BearerToken(string header)
    {
        const string Prefix = "Bearer ";
        return header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? header.AsSpan(Prefix.Length).Trim() : default;
    }
}
