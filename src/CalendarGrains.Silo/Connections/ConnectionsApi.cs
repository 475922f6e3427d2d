using System.Security.Claims;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Hosting;
using CalendarGrains.Silo.Http;
using CalendarGrains.Vapi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Connections;

/// <summary><c>/v1/connections</c> (tenant key): import, read, list, tokens, Vapi credentials, delete.</summary>
public static class ConnectionsApi
{
    /// <summary>The same answer whether another tenant holds the id or nobody does.</summary>
    public const string ReservedIdMessage =
        "Ids of the form conn_ and a ULID are issued by this service: import under another id, or give one only to reconnect a connection of yours.";

    public static RouteGroupBuilder MapConnectionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/connections").WithTags("Connections").RequireAuthorization(AuthPolicies.Tenant);
        group.MapPost("/", ImportAsync).WithName("ImportConnection")
            .WithSummary("Imports an existing Google grant (refresh token), optionally keeping its id; validated by one refresh unless ?validate=false.");
        group.MapGet("/", ListAsync).WithName("ListConnections").WithSummary("Lists connections, filtered by endUserId or status, with cursor paging.");
        group.MapGet("/{id}", GetAsync).WithName("GetConnection").WithSummary("Reads a connection (never its tokens).");
        group.MapPatch("/{id}", UpdateAsync).WithName("UpdateConnection").WithSummary("Replaces the connection's metadata.");
        group.MapPost("/{id}/token", TokenAsync).WithName("GetConnectionToken")
            .WithSummary("A Google access token valid for at least minValiditySeconds; concurrent callers share one refresh.");
        group.MapGet("/{id}/vapi-credential", VapiCredentialAsync).WithName("GetVapiCredential")
            .WithSummary("The connection as a credential item for a Vapi assistant's credentials.");
        group.MapPost("/{id}/vapi-custom-credential", VapiCustomCredentialAsync).WithName("CreateVapiCustomCredential")
            .WithSummary("A Vapi custom-credential body whose OAuth 2.0 client is this connection; rotates its client secret.");
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteConnection")
            .WithSummary("Revokes the grant at Google (unless revoke=false) and erases the connection.");
        return group;
    }

    private static async Task<Results<Created<ConnectionResource>, Ok<ConnectionResource>, ProblemHttpResult>> ImportAsync(
        ImportConnectionRequest request,
        bool? validate,
        ClaimsPrincipal user,
        ConnectionImports imports,
        HttpResponse response,
        CancellationToken cancellationToken)
    {
        if (request.Id is not null && !ConnectionIds.IsPlausible(request.Id))
        {
            return Problems.InvalidField("id", "id must be printable, without spaces or slashes, at most 256 characters.");
        }

        if (!MetadataJson.TryRead(request.Metadata, out var metadata, out var problem))
        {
            return problem!;
        }

        var outcome = await imports.ImportAsync(user.TenantId(), new GrantImport(
            request.Id, request.EndUserId, request.RefreshToken, request.AccessToken, request.ExpiresAt,
            request.Scopes ?? [], metadata, ValidateByRefresh: validate ?? true), cancellationToken);
        return outcome.Result switch
        {
            GrantImportResult.Created => TypedResults.Created($"/v1/connections/{outcome.ConnectionId}", ConnectionResource.From(outcome.Connection!)),
            GrantImportResult.Reconnected => TypedResults.Ok(ConnectionResource.From(outcome.Connection!)),
            GrantImportResult.EndUserHasAnother => Problems.Conflict(ProblemCodes.Conflict, $"End user '{request.EndUserId}' already has connection '{outcome.ConnectionId}'."),
            GrantImportResult.IdTaken => Problems.Conflict(ProblemCodes.Conflict, $"Connection '{outcome.ConnectionId}' exists for another end user."),
            GrantImportResult.ReservedId => Problems.InvalidField("id", ReservedIdMessage),
            _ => ImportRejected(outcome.Error!, response),
        };
    }

    private static async Task<Results<Ok<Page<ConnectionResource>>, ProblemHttpResult>> ListAsync(
        string? endUserId, string? status, int? limit, string? cursor, ClaimsPrincipal user, ConnectionListing listing)
    {
        if (!ListQuery.TryRead(limit, cursor, out var pageSize, out var after, out var problem))
        {
            return problem!;
        }

        ConnectionStatus? wanted = null;
        if (status is not null)
        {
            if (!ConnectionStatuses.TryParse(status, out var parsed))
            {
                return Problems.InvalidField("status", "status must be one of active, needs_reauth, revoked.");
            }

            wanted = parsed;
        }

        var page = await listing.PageAsync(user.TenantId(), new ConnectionFilter(wanted, endUserId), after, pageSize);
        return TypedResults.Ok(new Page<ConnectionResource>(
            [.. page.Items.Select(ConnectionResource.From)], page.NextAfter is null ? null : Cursor.Encode(page.NextAfter)));
    }

    private static async Task<Results<Ok<ConnectionResource>, ProblemHttpResult>> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = ConnectionIds.IsPlausible(id) ? await grains.Connection(user.TenantId(), id).GetAsync(user.TenantId()) : null;
        return view is null ? Problems.NotFound("connection") : TypedResults.Ok(ConnectionResource.From(view));
    }

    private static async Task<Results<Ok<ConnectionResource>, ProblemHttpResult>> UpdateAsync(
        string id, UpdateConnectionRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!MetadataJson.TryRead(request.Metadata, out var metadata, out var problem))
        {
            return problem!;
        }

        var write = ConnectionIds.IsPlausible(id)
            ? await grains.Connection(user.TenantId(), id).UpdateMetadataAsync(user.TenantId(), metadata ?? "{}", merge: false)
            : new MetadataWrite(MetadataWriteResult.NotFound);
        return write.Result switch
        {
            MetadataWriteResult.Updated => TypedResults.Ok(ConnectionResource.From(write.Connection!)),
            MetadataWriteResult.TooLarge => Problems.InvalidField("metadata", MetadataJson.TooLargeMessage),
            _ => Problems.NotFound("connection"),
        };
    }

    private static async Task<Results<Ok<AccessTokenResponse>, ProblemHttpResult>> TokenAsync(
        string id, TokenRequestBody? body, ClaimsPrincipal user, IGrainFactory grains, HttpResponse response)
    {
        if (!ConnectionIds.IsPlausible(id))
        {
            return Problems.NotFound("connection");
        }

        var request = new TokenRequest(body?.MinValiditySeconds ?? TokenRequest.DefaultMinValiditySeconds, body?.ForceRefresh ?? false);
        var result = await grains.Connection(user.TenantId(), id).GetAccessTokenAsync(user.TenantId(), request);
        response.Headers.CacheControl = "no-store";
        return TokenResultsHttp.ToHttp(result, response);
    }

    private static async Task<Results<Ok<VapiCredentialItem>, ProblemHttpResult>> VapiCredentialAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        var view = ConnectionIds.IsPlausible(id) ? await grains.Connection(user.TenantId(), id).GetAsync(user.TenantId()) : null;
        return view is null ? Problems.NotFound("connection") : TypedResults.Ok(VapiCredentials.ItemFor(view));
    }

    private static async Task<Results<Ok<VapiCustomCredentialResponse>, ProblemHttpResult>> VapiCustomCredentialAsync(
        string id, ClaimsPrincipal user, IGrainFactory grains, PublicUrls urls, HttpResponse response)
    {
        var connection = ConnectionIds.IsPlausible(id) ? grains.Connection(user.TenantId(), id) : null;
        var view = connection is null ? null : await connection.GetAsync(user.TenantId());
        var secret = view is null ? null : await connection!.RotateClientSecretAsync(user.TenantId());
        if (view is null || secret is null)
        {
            return Problems.NotFound("connection");
        }

        response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new VapiCustomCredentialResponse(
            "custom-credential",
            VapiCredentials.NameFor(view),
            new VapiOAuth2AuthenticationPlan("oauth2", urls.For(OAuthTokenApi.Path), ClientIds.For(view.TenantId, view.Id), secret)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, bool? revoke, ClaimsPrincipal user, IGrainFactory grains, HttpResponse response, CancellationToken cancellationToken)
    {
        var outcome = ConnectionIds.IsPlausible(id)
            ? await grains.Connection(user.TenantId(), id).DeleteAsync(user.TenantId(), revoke ?? true, cancellationToken)
            : DeleteOutcome.NotFound;
        return outcome switch
        {
            DeleteOutcome.Deleted => TypedResults.NoContent(),
            DeleteOutcome.RevocationUnavailable => TokenResultsHttp.WithRetryAfter(response, TimeSpan.FromSeconds(30), Problems.Of(
                StatusCodes.Status503ServiceUnavailable, TokenResultsHttp.ProviderUnavailableCode, "Google is unavailable",
                "Google could not be reached to revoke the grant, so nothing was deleted. Retry, or delete with ?revoke=false.")),
            _ => Problems.NotFound("connection"),
        };
    }

    private static ProblemHttpResult ImportRejected(ConnectionError error, HttpResponse response) => error.Code switch
    {
        "invalid_grant" => Problems.Of(StatusCodes.Status422UnprocessableEntity, "refresh_token_invalid", "The refresh token does not work",
            "Google refused the refresh token (invalid_grant); nothing was stored."),
        "invalid_client" or "unauthorized_client" or "tenant_not_found" => Problems.Of(StatusCodes.Status502BadGateway, TokenResultsHttp.ClientRejectedCode,
            "Google rejected the tenant's OAuth client", "The refresh token could not be validated with the tenant's OAuth client; nothing was stored."),
        _ => TokenResultsHttp.WithRetryAfter(response, TimeSpan.FromSeconds(5), Problems.Of(StatusCodes.Status503ServiceUnavailable, TokenResultsHttp.ProviderUnavailableCode,
            "Google is unavailable", "The refresh token could not be validated now; nothing was stored. Retry, or import with ?validate=false.")),
    };
}
