using System.Security.Claims;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Connections;

namespace CalendarGrains.Silo.Nango;

public static partial class NangoApi
{
    /// <summary><c>POST /connections/metadata</c>: replaces the metadata; <c>201</c> echoing the body.</summary>
    private static Task<IResult> SetMetadataAsync(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        WriteMetadataAsync(request, user, grains, merge: false);

    /// <summary><c>PATCH /connections/metadata</c>: merges top-level members; <c>200</c> echoing the body.</summary>
    private static Task<IResult> UpdateMetadataAsync(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        WriteMetadataAsync(request, user, grains, merge: true);

    private static async Task<IResult> WriteMetadataAsync(HttpRequest request, ClaimsPrincipal user, IGrainFactory grains, bool merge)
    {
        var (body, failure) = await NangoBody.ReadAsync(request);
        if (failure is not null)
        {
            return failure;
        }

        var reader = new NangoBody(body, "connection_id", "provider_config_key", "metadata");
        var connectionIds = reader.StringOrStrings("connection_id");
        var providerConfigKey = reader.Text("provider_config_key", required: true);
        var metadata = reader.Record("metadata", required: true);
        if (!reader.IsValid)
        {
            return reader.Invalid();
        }

        var json = metadata!.Value.GetRawText();
        if (MetadataJson.IsTooLarge(json))
        {
            return InvalidBody(MetadataJson.TooLargeMessage);
        }

        // Every connection is checked before any is written, so a refusal changes none of them.
        var tenantId = user.TenantId();
        foreach (var connectionId in connectionIds!)
        {
            var view = NangoConnections.IsOurs(providerConfigKey) && ConnectionIds.IsPlausible(connectionId)
                ? await grains.Connection(tenantId, connectionId).GetAsync(tenantId)
                : null;
            if (view is null)
            {
                return UnknownConnection(connectionId, providerConfigKey!, connectionIds.Count);
            }

            if (merge && MetadataJson.IsTooLarge(JsonObjects.Merge(view.MetadataJson, json)))
            {
                return InvalidBody(MetadataJson.MergedTooLargeMessage);
            }
        }

        foreach (var connectionId in connectionIds)
        {
            // The grain checks the merged size again: it alone sees what is stored at the moment it writes.
            var write = await grains.Connection(tenantId, connectionId).UpdateMetadataAsync(tenantId, json, merge);
            switch (write.Result)
            {
                case MetadataWriteResult.NotFound:
                    return UnknownConnection(connectionId, providerConfigKey!, connectionIds.Count); // Deleted meanwhile.
                case MetadataWriteResult.TooLarge:
                    return InvalidBody(MetadataJson.MergedTooLargeMessage);
            }
        }

        return NangoJson.Ok(body, merge ? StatusCodes.Status200OK : StatusCodes.Status201Created);
    }

    /// <summary>
    /// <c>POST /connections</c>: Nango's import, for an OAUTH2 Google grant. The refresh token is
    /// required (an access token alone dies within the hour) and is validated by one refresh, so a
    /// dead grant is refused instead of stored.
    /// </summary>
    private static async Task<IResult> ImportAsync(
        HttpRequest request,
        ClaimsPrincipal user,
        ConnectionImports imports,
        IGrainFactory grains,
        [FromKeyedServices(ServiceTime.Key)] TimeProvider time)
    {
        var (body, failure) = await NangoBody.ReadAsync(request);
        if (failure is not null)
        {
            return failure;
        }

        var reader = new NangoBody(body, "provider_config_key", "connection_id", "metadata", "connection_config", "webhook_url_override", "credentials", "end_user", "tags");
        var providerConfigKey = reader.Text("provider_config_key", required: true);
        var connectionId = reader.Text("connection_id", required: false);
        var metadata = reader.Record("metadata", required: false);
        reader.Record("connection_config", required: false);
        reader.Record("tags", required: false);
        var credentials = reader.Record("credentials", required: true);
        var endUser = reader.Record("end_user", required: false);
        var credentialsReader = credentials is { } given ? new NangoBody(given, "type", "access_token", "refresh_token", "expires_at", "config_override", "raw") { Prefix = "credentials" } : null;
        var type = credentialsReader?.Text("type", required: true);
        var endUserReader = endUser is { } person ? new NangoBody(person, "id", "email", "display_name", "tags", "organization") { Prefix = "end_user" } : null;
        var endUserId = endUserReader?.Text("id", required: true);
        if (!reader.IsValid || credentialsReader is { IsValid: false } || endUserReader is { IsValid: false })
        {
            return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body",
                errors: [.. reader.Errors, .. credentialsReader?.Errors ?? [], .. endUserReader?.Errors ?? []]);
        }

        if (!NangoConnections.IsOurs(providerConfigKey))
        {
            return NangoJson.Error(StatusCodes.Status404NotFound, "not_found", "Integration does not exist");
        }

        if (type != "OAUTH2")
        {
            return InvalidBody($"Provider OAUTH2 does not support {type} auth");
        }

        var accessToken = credentialsReader!.Text("access_token", required: false);
        var refreshToken = credentialsReader.Text("refresh_token", required: false);
        var expiresAt = credentialsReader.Date("expires_at");
        if (credentials!.Value.TryGetProperty("config_override", out _))
        {
            return InvalidBody("credentials.config_override is not supported: connections use the tenant's Google OAuth client.");
        }

        if (!credentialsReader.IsValid)
        {
            return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body", errors: credentialsReader.Errors);
        }

        if (refreshToken is null)
        {
            return InvalidBody("credentials.refresh_token is required: a Google connection cannot outlive its access token without one.");
        }

        if (connectionId is not null && !ConnectionIds.IsPlausible(connectionId))
        {
            return InvalidBody("connection_id must be printable, without spaces or slashes, at most 256 characters.");
        }

        var metadataJson = metadata?.GetRawText();
        if (metadataJson is not null && MetadataJson.IsTooLarge(metadataJson))
        {
            return InvalidBody(MetadataJson.TooLargeMessage);
        }

        // Nango's end user is optional; ours is not (one connection per end user): default to the connection id.
        var id = connectionId ?? Ids.NewConnectionId(time);
        var tenantId = user.TenantId();
        var outcome = await imports.ImportAsync(tenantId, new GrantImport(
            id, endUserId ?? id, refreshToken, accessToken, expiresAt, [], metadataJson, ValidateByRefresh: true));
        switch (outcome.Result)
        {
            case GrantImportResult.Created or GrantImportResult.Reconnected:
                var token = await grains.Connection(tenantId, id).GetAccessTokenAsync(tenantId, new TokenRequest(MinValiditySeconds: 0));
                request.HttpContext.Response.Headers.CacheControl = "no-store";
                return NangoJson.Ok(NangoConnections.Full(outcome.Connection!, token as TokenIssued, time.GetUtcNow()), StatusCodes.Status201Created);
            case GrantImportResult.EndUserHasAnother:
                return NangoJson.Error(StatusCodes.Status409Conflict, "conflict", $"End user '{endUserId ?? id}' already has connection '{outcome.ConnectionId}'.");
            case GrantImportResult.IdTaken:
                return NangoJson.Error(StatusCodes.Status409Conflict, "conflict", $"Connection '{id}' exists for another end user.");
            case GrantImportResult.ReservedId:
                return NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body", ConnectionsApi.ReservedIdMessage);
        }

        var error = outcome.Error!;
        if (error.Code is "invalid_grant" or "invalid_client" or "unauthorized_client" or "tenant_not_found")
        {
            return NangoJson.Error(StatusCodes.Status400BadRequest, "connection_validation_failed",
                error.Code == "invalid_grant"
                    ? "Google refused the refresh token (invalid_grant); nothing was stored."
                    : "Google rejected the tenant's OAuth client; nothing was stored.");
        }

        SetRetryAfter(request.HttpContext.Response, TimeSpan.FromSeconds(5));
        return NangoJson.Error(StatusCodes.Status503ServiceUnavailable, "server_error",
            "Google could not be reached to validate the refresh token; nothing was stored. Retry shortly.");
    }

    private static IResult InvalidBody(string message) => NangoJson.Error(StatusCodes.Status400BadRequest, "invalid_body", message);

    private static IResult UnknownConnection(string connectionId, string providerConfigKey, int count)
    {
        var message = $"Connection with connection id {connectionId} and provider config key {providerConfigKey} not found. Please make sure the connection exists in the Nango dashboard";
        if (count > 1)
        {
            message += ". No actions were taken on any of the connections as a result of this failure.";
        }

        return NangoJson.Error(StatusCodes.Status404NotFound, "unknown_connection", message);
    }
}
