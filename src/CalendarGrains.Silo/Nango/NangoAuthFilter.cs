using CalendarGrains.Silo.Auth;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// The Nango routes take a tenant API key as Nango's secret key, and refuse in Nango's shape:
/// <c>401 {"error":{"code":"missing_auth_header"|"malformed_auth_header"|"unknown_account",...}}</c>.
/// </summary>
/// <remarks>
/// Note: the routes are anonymous to the authorization middleware, whose challenge writes our
/// problem+json. The authentication middleware has already resolved the key (same resolver, same
/// cache) for every request, so this filter only reads the principal it left, and picks Nango's
/// error from the header when there is none. The admin key is not a tenant: unknown here.
/// </remarks>
public sealed class NangoAuthFilter : IEndpointFilter
{
    private static readonly Dictionary<string, object> EmptyPayload = [];

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.HasClaim(claim => claim.Type == Caller.TenantIdClaim))
        {
            return next(context);
        }

        var header = http.Request.Headers.Authorization.ToString();
        var (code, message) = header.Length == 0
            ? ("missing_auth_header", "Authentication failed. The request is missing the Authorization header.")
            : !header.StartsWith("Bearer ", StringComparison.Ordinal) || header.Length == "Bearer ".Length
                ? ("malformed_auth_header", "Authentication failed. The Authorization header is malformed.")
                : ("unknown_account", "Authentication failed. The provided authorization header does not match any account.");
        return ValueTask.FromResult<object?>(NangoJson.Error(StatusCodes.Status401Unauthorized, code, message, payload: EmptyPayload));
    }
}
