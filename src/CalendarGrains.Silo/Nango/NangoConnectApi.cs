using System.Security.Claims;
using System.Text.Json;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Silo.Connections.Pages;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Nango.ConnectUi;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// Nango Connect: <c>POST /connect/sessions</c> (what <c>@nangohq/node</c>'s <c>createConnectSession</c>
/// calls) makes one of our connect sessions and answers Nango's token; the end user's browser then
/// uses it where <c>@nangohq/frontend</c> does (<c>/oauth/connect/google-calendar?connect_session_token=…</c>
/// in <c>nango.auth()</c>'s popup), or opens the <c>connect_link</c>.
/// </summary>
public static class NangoConnectApi
{
    /// <summary>Nango's connect sessions live 30 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    public const string ConnectUiPath = "/connect/ui";

    public static IEndpointRouteBuilder MapNangoConnectApi(this IEndpointRouteBuilder app, RouteGroupBuilder nango)
    {
        nango.MapPost("/connect/sessions", CreateAsync).WithName("NangoCreateConnectSession")
            .WithSummary("Nango: creates a connect session for an end user; answers its token and connect link.");
        nango.MapPost("/connect/sessions/reconnect", ReconnectAsync).WithName("NangoCreateReconnectSession")
            .WithSummary("Nango: a connect session that reconnects an existing connection (same id).");
        app.MapGet("/oauth/connect/{providerConfigKey}", OAuthConnectAsync).AllowAnonymous().WithTags("Nango-compatible")
            .WithName("NangoOAuthConnect").WithSummary("Nango front-end SDK: the popup's start, redirects to Google's consent page.");
        app.MapGet(ConnectUiPath, ConnectUiAsync).AllowAnonymous().WithTags("Nango-compatible")
            .WithName("NangoConnectUi").WithSummary("Nango Connect UI: with session_token, the connect_link page; without, the page openConnectUI() frames.");
        app.MapConnectUiApi();
        return app;
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, PublicUrls urls,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        var (body, failure) = await NangoBody.ReadAsync(request);
        if (failure is not null)
        {
            return failure;
        }

        var reader = new NangoBody(body, "end_user", "organization", "allowed_integrations", "integrations_config_defaults", "overrides", "webhook_url_override", "tags");
        var endUser = reader.Record("end_user", required: true);
        var options = ReadCommon(reader);
        var person = endUser is { } given ? ReadEndUser(given) : null;
        if (!reader.IsValid || person is { Reader.IsValid: false })
        {
            return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body", errors: [.. reader.Errors, .. person?.Reader.Errors ?? []]);
        }

        return await CreateSessionAsync(user.TenantId(), person!.Id, person.Email, options.Scopes, grains, urls, time);
    }

    private static async Task<IResult> ReconnectAsync(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, PublicUrls urls,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        var (body, failure) = await NangoBody.ReadAsync(request);
        if (failure is not null)
        {
            return failure;
        }

        var reader = new NangoBody(body, "connection_id", "integration_id", "end_user", "organization", "integrations_config_defaults", "overrides", "webhook_url_override", "tags");
        var connectionId = reader.Text("connection_id", required: true);
        var integrationId = reader.Text("integration_id", required: true);
        var endUser = reader.Record("end_user", required: false);
        var options = ReadCommon(reader);
        var person = endUser is { } given ? ReadEndUser(given) : null;
        if (!reader.IsValid || person is { Reader.IsValid: false })
        {
            return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body", errors: [.. reader.Errors, .. person?.Reader.Errors ?? []]);
        }

        var tenantId = user.TenantId();
        var connection = NangoConnections.IsOurs(integrationId) && ConnectionIds.IsPlausible(connectionId!)
            ? await grains.GetGrain<IConnectionGrain>(connectionId!).GetAsync(tenantId)
            : null;
        if (connection is null)
        {
            return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body", "Invalid connection");
        }

        // Reconnecting is connecting the connection's end user again: the same connection is updated.
        return await CreateSessionAsync(tenantId, connection.EndUserId, person?.Email ?? connection.AccountEmail, options.Scopes, grains, urls, time);
    }

    private static async Task<IResult> CreateSessionAsync(string tenantId, string endUserId, string? loginHint, IReadOnlyList<string>? scopes,
        IGrainFactory grains, PublicUrls urls, TimeProvider time)
    {
        if (await grains.GetGrain<ITenantGrain>(tenantId).GetAsync() is null)
        {
            return NangoJson.Error(StatusCodes.Status404NotFound, "not_found", "Environment not found");
        }

        var id = Ids.NewConnectSessionId();
        var expiresAt = time.GetUtcNow() + Lifetime;
        await grains.GetGrain<IConnectSessionGrain>(id).CreateAsync(new ConnectSessionDefinition(
            tenantId, endUserId, ReturnUrl: null, scopes, loginHint, urls.For(ConnectApi.CallbackPath), expiresAt));
        var token = NangoSessionTokens.For(id);
        return NangoJson.Ok(
            new NangoData<NangoConnectSessionCreated>(new(token, urls.For($"{ConnectUiPath}?session_token={Uri.EscapeDataString(token)}"), NangoFormats.Iso(expiresAt))),
            StatusCodes.Status201Created);
    }

    /// <summary>
    /// The members both session bodies share. Only Google Calendar exists here, so any other
    /// integration named is refused as Nango refuses an unknown one; of its defaults only the
    /// scopes (<c>connection_config.oauth_scopes_override</c>) change anything.
    /// </summary>
    private static (IReadOnlyList<string>? Scopes, bool Valid) ReadCommon(NangoBody reader)
    {
        reader.Record("organization", required: false);
        reader.Record("overrides", required: false);
        reader.Record("tags", required: false);
        reader.Text("webhook_url_override", required: false);
        var allowed = reader.Strings("allowed_integrations");
        for (var i = 0; i < (allowed?.Count ?? 0); i++)
        {
            if (!NangoConnections.IsOurs(allowed![i]))
            {
                reader.Custom("Integration does not exist", "allowed_integrations", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        IReadOnlyList<string>? scopes = null;
        if (reader.Record("integrations_config_defaults", required: false) is { } defaults)
        {
            foreach (var integration in defaults.EnumerateObject())
            {
                if (!NangoConnections.IsOurs(integration.Name))
                {
                    reader.Custom("Integration does not exist", "integrations_config_defaults", integration.Name);
                }
                else if (integration.Value.ValueKind == JsonValueKind.Object
                    && integration.Value.TryGetProperty("connection_config", out var config) && config.ValueKind == JsonValueKind.Object
                    && config.TryGetProperty("oauth_scopes_override", out var overridden) && overridden.ValueKind == JsonValueKind.String)
                {
                    scopes = [.. overridden.GetString()!.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                }
            }
        }

        return (scopes is { Count: > 0 } ? scopes : null, reader.IsValid);
    }

    private static NangoEndUserInput ReadEndUser(JsonElement endUser)
    {
        var reader = new NangoBody(endUser, "id", "email", "display_name", "tags") { Prefix = "end_user" };
        var id = reader.Text("id", required: true);
        var email = reader.Text("email", required: false);
        reader.Text("display_name", required: false);
        reader.Record("tags", required: false);
        if (id is { Length: > 255 })
        {
            reader.Custom("Too big: expected string to have <=255 characters", "id");
        }

        if (email is not null && (email.Length < 5 || !email.Contains('@', StringComparison.Ordinal)))
        {
            reader.Custom("Invalid email address", "email");
        }

        return new NangoEndUserInput(reader, id ?? "", email);
    }

    /// <summary>
    /// The popup of <c>nango.auth('google-calendar')</c>: checks the session token and sends the
    /// browser to Google. Whatever goes wrong is told twice: on this page, and on the SDK's websocket.
    /// </summary>
    private static async Task<IResult> OAuthConnectAsync(string providerConfigKey, HttpRequest request, IGrainFactory grains, ConnectStepPages pages)
    {
        var wsClientId = request.Query["ws_client_id"].ToString();
        var ws = NangoWebSockets.IsClientId(wsClientId) ? wsClientId : null;
        var token = request.Query["connect_session_token"].ToString();
        if (!NangoConnections.IsOurs(providerConfigKey))
        {
            return await RefuseAsync(grains, ws, "unknown_config_key", $"Provider config key '{providerConfigKey}' is unknown: only 'google-calendar' is served here.",
                new EndUserPage(StatusCodes.Status404NotFound, EndUserPageTone.Problem, "This integration isn't available",
                    "The app asked to connect a service that is not offered here. Only Google Calendar can be connected."));
        }

        if (!NangoSessionTokens.TryRead(token, out var sessionId))
        {
            var (type, description) = request.Query.ContainsKey("public_key")
                ? ("invalid_connect_session_token", "Public keys are not supported: create a connect session and pass its token.")
                : ("missing_connect_session_token", "A connect session token is required.");
            return await RefuseAsync(grains, ws, type, description, ConnectStepPages.NotFound());
        }

        var step = await grains.GetGrain<IConnectSessionGrain>(sessionId).StartAsync(ws);
        switch (step.Kind)
        {
            case ConnectStepKind.Redirect:
                return TypedResults.Redirect(step.RedirectUrl!);
            case ConnectStepKind.NotFound:
                return await RefuseAsync(grains, ws, "invalid_connect_session_token", "The connect session token is unknown or expired.", ConnectStepPages.NotFound());
            case ConnectStepKind.AlreadyConnected:
                return await RefuseAsync(grains, ws, "connect_session_used",
                    "This connect session already connected an account; create a new session to connect again.", await pages.ForAsync(step));
            default:
                return await RefuseAsync(grains, ws, step.Error ?? "unknown_error", step.Reason ?? "The connection failed.", await pages.ForAsync(step));
        }
    }

    private static async Task<IResult> RefuseAsync(IGrainFactory grains, string? wsClientId, string errorType, string description, EndUserPage page)
    {
        if (wsClientId is not null)
        {
            await NangoConnectResults.PublishAsync(grains, wsClientId, NangoConnectResults.Error(errorType, description));
        }

        return EndUserPages.Page(page);
    }

    /// <summary>
    /// Nango's Connect UI address, in its two uses. With <c>session_token</c> it is the
    /// <c>connect_link</c>: a page without script, with one button to Google's consent (through
    /// <c>/oauth/connect</c>), for an end user who was sent a link. Without it, it is what
    /// <c>openConnectUI({ baseURL })</c> frames (<c>{baseURL}/?apiURL=…</c>): <see cref="ConnectUiPage"/>,
    /// which waits for the token by <c>postMessage</c>.
    /// </summary>
    private static async Task<IResult> ConnectUiAsync(HttpRequest request, IGrainFactory grains, PublicUrls urls, ConnectStepPages pages)
    {
        if (!request.Query.ContainsKey("session_token"))
        {
            // apiURL and lang are not read: the page only talks to this service, in English.
            return new ConnectUiPage(urls.BaseUrl, request.Query["theme"].ToString(), request.Query["detectClosedAuthWindow"] == "true");
        }

        var token = request.Query["session_token"].ToString();
        if (!NangoSessionTokens.TryRead(token, out var sessionId)
            || await grains.GetGrain<IConnectSessionGrain>(sessionId).PeekAsync() is not { Kind: not ConnectStepKind.NotFound } step)
        {
            return EndUserPages.Page(ConnectStepPages.NotFound());
        }

        if (step.Kind != ConnectStepKind.Pending)
        {
            return EndUserPages.Page(await pages.ForAsync(step));
        }

        var platform = (await grains.GetGrain<ITenantGrain>(step.TenantId!).GetAsync())?.Name;
        var start = urls.For($"/oauth/connect/{NangoConnections.ProviderConfigKey}?connect_session_token={Uri.EscapeDataString(token)}");
        return EndUserPages.Page(new EndUserPage(
            StatusCodes.Status200OK, EndUserPageTone.Success, "Connect your Google Calendar",
            platform is null
                ? "You will be asked by Google to give access to your calendar."
                : $"{platform} asks for access to your Google Calendar. You will be asked by Google to allow it.",
            platform, ContinueUrl: start));
    }

    private sealed record NangoEndUserInput(NangoBody Reader, string Id, string? Email);
}

/// <summary>Nango's <c>{"data": …}</c> envelope.</summary>
public sealed record NangoData<T>(T Data);

/// <summary>What <c>createConnectSession</c> answers.</summary>
public sealed record NangoConnectSessionCreated(string Token, string ConnectLink, string ExpiresAt);
