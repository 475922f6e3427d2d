using CalendarGrains.Connections;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Nango;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Connections.Pages;

/// <summary>The end user's page for each outcome of the connect flow, in plain words.</summary>
public sealed class ConnectStepPages(IGrainFactory grains, PublicUrls urls)
{
    public async Task<EndUserPage> ForAsync(ConnectStep step)
    {
        var platform = step.TenantId is null ? null : (await grains.GetGrain<ITenantGrain>(step.TenantId).GetAsync())?.Name;
        var retry = step.SessionId is null ? null : RetryUrl(step);
        return step.Kind switch
        {
            ConnectStepKind.Connected => new EndUserPage(
                StatusCodes.Status200OK, EndUserPageTone.Success, "Google Calendar connected",
                platform is null ? "Your Google Calendar is now connected." : $"Your Google Calendar is now connected to {platform}.",
                platform, step.RedirectUrl),
            ConnectStepKind.AlreadyConnected => new EndUserPage(
                StatusCodes.Status200OK, EndUserPageTone.Success, "Already connected",
                platform is null
                    ? "Your Google account is already connected. There is nothing more to do with this link."
                    : $"Your Google account is already connected to {platform}. There is nothing more to do with this link.",
                platform, step.RedirectUrl),
            ConnectStepKind.Failed when step.Error == "access_denied" => new EndUserPage(
                StatusCodes.Status200OK, EndUserPageTone.Problem, "You declined access",
                platform is null
                    ? "You chose not to give access to your Google Calendar, so nothing was connected."
                    : $"You chose not to give {platform} access to your Google Calendar, so nothing was connected.",
                platform, step.RedirectUrl, retry),
            ConnectStepKind.Failed when step.Error == "session_expired" => new EndUserPage(
                StatusCodes.Status410Gone, EndUserPageTone.Problem, "This link has expired",
                platform is null
                    ? "Connect links work for a limited time. Ask for a new link to connect your Google Calendar."
                    : $"Connect links work for a limited time. Go back to {platform} to get a new link.",
                platform, step.RedirectUrl),
            ConnectStepKind.Failed when step.Error == "tenant_not_found" => new EndUserPage(
                StatusCodes.Status404NotFound, EndUserPageTone.Problem, "This link no longer works",
                "The service that sent you this link no longer exists here.", platform, step.RedirectUrl),
            ConnectStepKind.Failed => new EndUserPage(
                StatusCodes.Status200OK, EndUserPageTone.Problem, "Your Google Calendar was not connected",
                step.Reason ?? "Google did not complete the sign-in.",
                platform, step.RedirectUrl, retry, Detail: step.Error is null ? null : $"Error code: {step.Error}"),
            ConnectStepKind.Rejected => new EndUserPage(
                StatusCodes.Status400BadRequest, EndUserPageTone.Problem, "This sign-in link was already used",
                "This page was opened again (with the back button, a refresh or a bookmark) or it expired, so it cannot be used again. Nothing was changed."
                    + (retry is null ? "" : " You can start again."),
                platform, step.ReturnUrl, retry),
            _ => NotFound(),
        };
    }

    /// <summary>A link that matches no session (mistyped, or erased after it expired).</summary>
    public static EndUserPage NotFound() => new(
        StatusCodes.Status404NotFound, EndUserPageTone.Problem, "This link isn't valid",
        "We could not find this connect link. It may be mistyped, or it may have expired. Ask for a new link to connect your Google Calendar.");

    /// <summary>A callback whose state cannot be read at all: not a link we made.</summary>
    public static EndUserPage InvalidCallback() => new(
        StatusCodes.Status400BadRequest, EndUserPageTone.Problem, "This sign-in link isn't valid",
        "This page was reached without a valid sign-in. Nothing was changed. Go back to the app that sent you here and start again.");

    private string RetryUrl(ConnectStep step) => step.ReturnUrl is null
        ? urls.For($"/connect/ui?session_token={Uri.EscapeDataString(NangoSessionTokens.For(step.SessionId!))}")
        : urls.For($"/v1/connect/{Uri.EscapeDataString(step.SessionId!)}");
}
