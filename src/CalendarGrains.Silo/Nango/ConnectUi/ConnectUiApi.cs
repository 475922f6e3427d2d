using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using CalendarGrains.Connections;
using CalendarGrains.Tenants;

namespace CalendarGrains.Silo.Nango.ConnectUi;

/// <summary>
/// What the Connect UI page (<see cref="ConnectUiPage"/>, at <c>/connect/ui</c> in a frame of
/// <c>openConnectUI()</c>) loads besides itself: its script, and a read of the session it was handed.
/// </summary>
public static class ConnectUiApi
{
    public const string ScriptPath = "/connect/ui/connect-ui.js";

    public const string SessionPath = "/connect/ui/session";

    /// <summary>The header the page sends the session token in (never the query: URLs end up in logs).</summary>
    public const string SessionTokenHeader = "Connect-Session-Token";

    private static readonly byte[] Script = ReadScript();

    public static IEndpointRouteBuilder MapConnectUiApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(ScriptPath, ServeScript).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(SessionPath, ReadSessionAsync).AllowAnonymous().WithTags("Nango-compatible")
            .WithName("ConnectUiSession").WithSummary("The Connect UI: whose session its token is and where it stands (the token is the credential).");
        return app;
    }

    /// <summary>Whose session a token is and where it stands, for the page to say so; 404 for an unknown token.</summary>
    public static async Task<Results<Ok<ConnectUiSession>, NotFound<ConnectUiSession>>> ReadSessionAsync(HttpRequest request, HttpResponse response, IGrainFactory grains)
    {
        response.Headers.CacheControl = "no-store";
        var token = request.Headers[SessionTokenHeader].ToString();
        if (!NangoSessionTokens.TryRead(token, out var sessionId)
            || await grains.GetGrain<IConnectSessionGrain>(sessionId).PeekAsync() is not { Kind: not ConnectStepKind.NotFound } step)
        {
            return TypedResults.NotFound(new ConnectUiSession(null, "unknown"));
        }

        var platform = step.TenantId is null ? null : (await grains.GetGrain<ITenantGrain>(step.TenantId).GetAsync())?.Name;
        var status = step.Kind switch
        {
            ConnectStepKind.Pending => "pending",
            ConnectStepKind.AlreadyConnected => "connected",
            _ => "expired",
        };
        return TypedResults.Ok(new ConnectUiSession(platform, status));
    }

    private static FileContentHttpResult ServeScript(HttpResponse response)
    {
        response.Headers.XContentTypeOptions = "nosniff";
        // Short: a new version reaches browsers within minutes, and the page is never cached.
        response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Bytes(Script, "text/javascript; charset=utf-8");
    }

    private static byte[] ReadScript()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("CalendarGrains.Silo.Nango.ConnectUi.connect-ui.js")
            ?? throw new InvalidOperationException("The Connect UI script is not embedded in the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Encoding.UTF8.GetBytes(reader.ReadToEnd());
    }
}

/// <summary>
/// What the Connect UI learns about its session: the platform's name (null when unknown) and
/// <c>pending</c>, <c>connected</c>, <c>expired</c> or <c>unknown</c>. Never the end user or a connection id:
/// whoever holds the token learns no more than the page shows.
/// </summary>
public sealed record ConnectUiSession(string? Platform, string Status);
