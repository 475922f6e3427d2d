using System.Globalization;
using System.Security.Claims;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Indexing;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Connections;

namespace CalendarGrains.Silo.Nango;

/// <summary>
/// Nango's connection API (the paths <c>@nangohq/node</c> 0.71 calls, and their legacy
/// <c>/connection</c> forms) over our connections, in Nango's shapes and status codes, with a
/// tenant API key as the Nango secret key. Reads never write: no <c>last_fetched_at</c>.
/// </summary>
public static partial class NangoApi
{
    /// <summary>Nango lists up to 10,000 connections when no limit is given; so do we.</summary>
    private const int DefaultListLimit = 10_000;
    private const int MaxListLimit = 2_000;
    private const int IndexChunk = 1_000;

    public static RouteGroupBuilder MapNangoApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("").WithTags("Nango-compatible").AllowAnonymous().AddEndpointFilter<NangoAuthFilter>();
        foreach (var root in (string[])["/connections", "/connection"])
        {
            var legacy = root == "/connection" ? "Legacy" : "";
            group.MapGet(root, ListAsync).WithName($"Nango{legacy}ListConnections")
                .WithSummary("Nango: lists connections (connectionId, endUserId, integrationId, search, limit, page).");
            group.MapGet(root + "/{connectionId}", GetAsync).WithName($"Nango{legacy}GetConnection")
                .WithSummary("Nango: a connection with a fresh access token (never the refresh token).");
            group.MapDelete(root + "/{connectionId}", DeleteAsync).WithName($"Nango{legacy}DeleteConnection")
                .WithSummary("Nango: revokes the grant at Google and deletes the connection.");
            group.MapPost(root + "/metadata", SetMetadataAsync).WithName($"Nango{legacy}SetMetadata")
                .WithSummary("Nango: replaces the metadata of one or more connections.");
            group.MapPatch(root + "/metadata", UpdateMetadataAsync).WithName($"Nango{legacy}UpdateMetadata")
                .WithSummary("Nango: merges top-level members into the metadata of one or more connections.");
        }

        group.MapPost("/connections", ImportAsync).WithName("NangoImportConnection")
            .WithSummary("Nango: imports an OAUTH2 connection (a Google refresh token), validated by one refresh.");
        MapProxy(group);
        group.MapNangoIntegrationsApi();
        app.MapNangoConnectApi(group);
        app.MapNangoWebSockets();
        app.MapNangoUnservedRoutes();
        return group;
    }

    private static async Task<IResult> GetAsync(
        string connectionId,
        HttpRequest request,
        ClaimsPrincipal user,
        IGrainFactory grains,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        var query = new NangoQuery(request.Query);
        var providerConfigKey = query.RequiredString("provider_config_key");
        var forceRefresh = query.OptionalBool("force_refresh");
        query.OptionalBool("refresh_token"); // Accepted, and never honoured: the refresh token stays in its grain.
        query.OptionalBool("refresh_github_app_jwt_token");
        if (!query.IsValid)
        {
            return query.Invalid();
        }

        if (!NangoConnections.IsOurs(providerConfigKey))
        {
            return UnknownProviderConfig();
        }

        var tenantId = user.TenantId();
        var connection = ConnectionIds.IsPlausible(connectionId) ? grains.GetGrain<IConnectionGrain>(connectionId) : null;
        var view = connection is null ? null : await connection.GetAsync(tenantId);
        if (view is null)
        {
            return ConnectionNotFound();
        }

        var result = await connection!.GetAccessTokenAsync(tenantId, new TokenRequest(NangoConnections.MinValiditySeconds, forceRefresh));
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        if (result is TokenIssued token)
        {
            return NangoJson.Ok(NangoConnections.Full(view, token, time.GetUtcNow()));
        }

        return await TokenFailureAsync(result, connection, tenantId, request.HttpContext.Response, time.GetUtcNow());
    }

    private static async Task<IResult> ListAsync(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, IOrderedIndex index)
    {
        var query = new NangoQuery(request.Query);
        var connectionId = query.OptionalString("connectionId");
        var endUserId = query.OptionalString("endUserId");
        var search = query.OptionalString("search");
        var integrationIds = query.OptionalString("integrationId");
        var organizationId = query.OptionalString("endUserOrganizationId");
        var limit = query.OptionalInt("limit", 1, MaxListLimit) ?? DefaultListLimit;
        var page = query.OptionalInt("page", 0, int.MaxValue) ?? 0;
        if (!query.IsValid)
        {
            return query.Invalid();
        }

        // Filters on what we do not keep (organizations, tags) or on another integration match nothing.
        var elsewhere = integrationIds is not null && !integrationIds.Split(',').Any(key => NangoConnections.IsOurs(key.Trim()));
        if (elsewhere || organizationId is not null || request.Query.Keys.Any(key => key.StartsWith("tags[", StringComparison.Ordinal)))
        {
            return NangoJson.Ok(new NangoConnectionList([]));
        }

        var tenantId = user.TenantId();
        var skip = (long)page * limit;
        IReadOnlyList<string> ids;
        if (connectionId is not null || endUserId is not null)
        {
            var candidate = connectionId ?? await grains.GetGrain<IEndUserGrain>(EndUserKeys.For(tenantId, endUserId!)).GetConnectionIdAsync();
            var matches = candidate is not null && ConnectionIds.IsPlausible(candidate) && Matches(candidate, search);
            ids = matches && skip == 0 ? [candidate!] : [];
        }
        else
        {
            ids = await PageIdsAsync(index, ConnectionIndexSets.All(tenantId), search, skip, limit);
        }

        // The index may lag a change by a moment; the grain is the truth, so re-check each one.
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IConnectionGrain>(id).GetAsync(tenantId)));
        var connections = views.OfType<ConnectionView>()
            .Where(view => endUserId is null || string.Equals(view.EndUserId, endUserId, StringComparison.Ordinal))
            .Select(NangoConnections.Summary)
            .ToList();
        return NangoJson.Ok(new NangoConnectionList(connections));
    }

    private static async Task<IResult> DeleteAsync(string connectionId, HttpRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        var query = new NangoQuery(request.Query);
        var providerConfigKey = query.RequiredString("provider_config_key");
        if (!query.IsValid)
        {
            return query.Invalid();
        }

        var outcome = NangoConnections.IsOurs(providerConfigKey) && ConnectionIds.IsPlausible(connectionId)
            ? await grains.GetGrain<IConnectionGrain>(connectionId).DeleteAsync(user.TenantId(), revokeAtGoogle: true)
            : DeleteOutcome.NotFound;
        switch (outcome)
        {
            case DeleteOutcome.Deleted:
                return NangoJson.Ok(new NangoDeleted(true));
            case DeleteOutcome.RevocationUnavailable:
                SetRetryAfter(request.HttpContext.Response, TimeSpan.FromSeconds(30));
                return NangoJson.Error(StatusCodes.Status503ServiceUnavailable, "server_error",
                    "Google could not be reached to revoke the grant, so nothing was deleted. Retry shortly.");
            default:
                // Nango answers an unknown connection (or integration) on delete with a bare 400.
                return NangoJson.Error(StatusCodes.Status400BadRequest, "unknown_connection");
        }
    }

    /// <summary>
    /// Nango's answers when it cannot hand out a token: a grant Google refused for good is its
    /// "refresh exhausted" (424); a refresh that failed for now is its "external error" (400).
    /// Both carry the connection, without credentials, in <c>payload.connection</c>.
    /// </summary>
    private static async Task<IResult> TokenFailureAsync(TokenResult result, IConnectionGrain connection, string tenantId, HttpResponse response, DateTimeOffset now)
    {
        var view = await connection.GetAsync(tenantId);
        if (view is null || result is TokenNotFound)
        {
            return ConnectionNotFound();
        }

        var payload = new Dictionary<string, object> { ["connection"] = NangoConnections.Full(view, token: null, now) };
        switch (result)
        {
            case TokenNeedsReauth:
                return NangoJson.Error(StatusCodes.Status424FailedDependency, "invalid_credentials",
                    "The refresh limit has been reached for this connection.", payload: payload);
            case TokenProviderUnavailable unavailable:
                SetRetryAfter(response, unavailable.RetryAfter);
                break;
            case TokenClientRejected rejected:
                SetRetryAfter(response, rejected.RetryAfter);
                break;
        }

        return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_credentials",
            "The external API returned an error when trying to refresh the access token. Please try again later.", payload: payload);
    }

    /// <summary>Skips <paramref name="skip"/> ids of the set (those matching the search), then takes up to <paramref name="take"/>.</summary>
    private static async Task<IReadOnlyList<string>> PageIdsAsync(IOrderedIndex index, string set, string? search, long skip, int take)
    {
        var ids = new List<string>();
        string? after = null;
        long skipped = 0;
        while (true)
        {
            var chunk = await index.PageAsync(set, after, IndexChunk);
            foreach (var id in chunk.Where(id => Matches(id, search)))
            {
                if (skipped < skip)
                {
                    skipped++;
                    continue;
                }

                ids.Add(id);
                if (ids.Count == take)
                {
                    return ids;
                }
            }

            if (chunk.Count < IndexChunk)
            {
                return ids;
            }

            after = chunk[^1];
        }
    }

    private static bool Matches(string connectionId, string? search) =>
        search is null || connectionId.Contains(search, StringComparison.OrdinalIgnoreCase);

    private static IResult UnknownProviderConfig() =>
        NangoJson.Error(StatusCodes.Status400BadRequest, "unknown_provider_config", "Provider does not exists");

    private static IResult ConnectionNotFound() =>
        NangoJson.Error(StatusCodes.Status404NotFound, "not_found", "Failed to find connection");

    private static void SetRetryAfter(HttpResponse response, TimeSpan retryAfter) =>
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
