using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace CalendarGrains.Sandbox.Google;

/// <summary>
/// <c>accounts.google.com/o/oauth2/v2/auth</c>: GET shows consent, POST carries the user's decision.
/// The POST re-validates everything, because the form's hidden inputs are in the user's hands.
/// </summary>
internal static class AuthorizeEndpoint
{
    public static IResult Show(HttpRequest request, GoogleEmulator emulator)
    {
        var raw = AuthorizeRequest.Read(name => request.Query[name].FirstOrNull());
        if (AuthorizeRequestValidator.Validate(raw, emulator.FindClient, out var valid) is { } error)
        {
            return GoogleHtmlPages.Error(error);
        }

        if (valid!.NoInteraction)
        {
            // Note: the emulator keeps no signed-in browser session, so a silent request can never be
            // answered without the user; Google answers such requests this way.
            return RedirectBack(valid.RedirectUri, ("error", "interaction_required"), ("state", valid.State));
        }

        return GoogleHtmlPages.Consent($"{request.PathBase}{request.Path}", raw, valid);
    }

    public static async Task<IResult> DecideAsync(HttpRequest request, GoogleEmulator emulator)
    {
        if (!request.HasFormContentType)
        {
            return GoogleHtmlPages.Error(OAuthError.InvalidRequest("The consent form must be posted as application/x-www-form-urlencoded."));
        }

        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var raw = AuthorizeRequest.Read(name => form[name].FirstOrNull());
        if (AuthorizeRequestValidator.Validate(raw, emulator.FindClient, out var valid) is { } error)
        {
            return GoogleHtmlPages.Error(error);
        }

        switch (form["decision"].FirstOrNull())
        {
            case "deny":
                return RedirectBack(valid!.RedirectUri, ("error", "access_denied"), ("state", valid.State));
            case "allow":
                var email = form["email"].FirstOrNull()?.Trim();
                // A bare address only: "Ada <ada@example.com>" parses as a MailAddress too.
                if (string.IsNullOrEmpty(email) || !MailAddress.TryCreate(email, out var address) || address.Address != email)
                {
                    return GoogleHtmlPages.Error(OAuthError.InvalidRequest("Enter the email address of the account to sign in with."));
                }

                var code = emulator.Approve(valid!, email);
                return RedirectBack(
                    valid!.RedirectUri,
                    ("state", valid.State),
                    ("code", code.Value),
                    ("scope", GoogleScopes.Join(code.Scopes)),
                    ("authuser", "0"),
                    ("prompt", "consent"));
            default:
                return GoogleHtmlPages.Error(OAuthError.InvalidRequest("decision must be allow or deny."));
        }
    }

    private static RedirectHttpResult RedirectBack(string redirectUri, params (string Name, string? Value)[] parameters)
    {
        var present = parameters
            .Where(p => p.Value is not null)
            .Select(p => KeyValuePair.Create(p.Name, p.Value));
        return TypedResults.Redirect(QueryHelpers.AddQueryString(redirectUri, present));
    }
}
