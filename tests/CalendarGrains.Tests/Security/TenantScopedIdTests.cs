using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Common;
using CalendarGrains.Connections;
using CalendarGrains.Indexing;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Nango;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.2: a tenant's connection ids are its own namespace (<see cref="ConnectionKeys"/>). Two
/// tenants may import the same id and each sees only its own; nothing answers differently for "another
/// tenant has this id" and "nobody has"; Vapi's token route still finds the one grain; a connection
/// stored under its bare id before the change is read, listed and refreshed, and adopted on the way.
/// </summary>
public sealed class TenantScopedIdTests : IAsyncLifetime
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private ServiceHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await ServiceHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task TwoTenants_ImportTheSameId_EachSeesOnlyItsOwn_AndVapisTokenRouteFindsEach()
    {
        using var a = await ConnectionKit.CreateAsync(_host);
        using var b = await ConnectionKit.CreateAsync(_host);
        var id = "shared-" + Guid.NewGuid().ToString("N")[..8];

        await NangoRoutesTests.ImportAsync(a, id, "a-user", await a.MintRefreshTokenAsync("a@example.com"));
        await NangoRoutesTests.ImportAsync(b, id, "b-user", await b.MintRefreshTokenAsync("b@example.com"));
        var (aView, bView) = (await ReadAsync(a, id), await ReadAsync(b, id));
        var (aList, bList) = (await ListAsync(a), await ListAsync(b));
        var (aToken, bToken) = (await a.TokenOkAsync(id, forceRefresh: true), await b.TokenOkAsync(id, forceRefresh: true));
        var (aVapi, bVapi) = (await VapiTokenAsync(a, id), await VapiTokenAsync(b, id));
        var deleted = await a.Api.DeleteAsync($"/v1/connections/{id}?revoke=false", _ct);

        Assert.Equal(("a-user", "b-user"), (aView.GetProperty("endUserId").GetString(), bView.GetProperty("endUserId").GetString()));
        Assert.Equal(["a-user"], aList.Where(c => c.Id == id).Select(c => c.EndUser));
        Assert.Equal(["b-user"], bList.Where(c => c.Id == id).Select(c => c.EndUser));
        Assert.NotEqual(aToken.AccessToken, bToken.AccessToken);
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (aVapi, bVapi));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("b-user", (await ReadAsync(b, id)).GetProperty("endUserId").GetString()); // A's delete is A's alone
    }

    [Fact]
    public async Task IdProbe_AnotherTenantsIdAnswersAsAnIdNobodyHas()
    {
        using var owner = await ConnectionKit.CreateAsync(_host);
        using var prober = await ConnectionKit.CreateAsync(_host);
        var imported = "probe-" + Guid.NewGuid().ToString("N")[..8];
        await NangoRoutesTests.ImportAsync(owner, imported, "owner-user", "1//owner", validate: false);
        var generated = await ImportWithoutIdAsync(owner, "owner-user-2");
        var nobodys = Ids.NewConnectionId(TimeProvider.System);
        Assert.StartsWith(Ids.ConnectionPrefix, generated, StringComparison.Ordinal);

        foreach (var (taken, free) in new[] { (imported, "probe-" + Guid.NewGuid().ToString("N")[..8]), (generated, nobodys) })
        {
            foreach (var path in new[] { "/v1/connections/{0}", "/v1/connections/{0}/vapi-credential" })
            {
                var (takenAnswer, freeAnswer) = (await prober.Api.GetAsync(string.Format(path, taken), _ct), await prober.Api.GetAsync(string.Format(path, free), _ct));
                Assert.Equal(await ShapeAsync(freeAnswer, free), await ShapeAsync(takenAnswer, taken));
            }

            var nango = await prober.Api.GetAsync($"/connection/{taken}?provider_config_key=google-calendar", _ct);
            var nangoFree = await prober.Api.GetAsync($"/connection/{free}?provider_config_key=google-calendar", _ct);
            Assert.Equal(await ShapeAsync(nangoFree, free), await ShapeAsync(nango, taken));
        }

        // Importing: an imported id is the prober's own to take; a generated one is refused alike.
        var takeImported = await ImportAsync(prober, imported, "prober-user");
        var takeGenerated = await ImportAsync(prober, generated, "prober-user-2");
        var takeNobodys = await ImportAsync(prober, nobodys, "prober-user-3");
        Assert.Equal(HttpStatusCode.Created, takeImported.StatusCode);
        Assert.Equal(await ShapeAsync(takeNobodys, nobodys), await ShapeAsync(takeGenerated, generated));
        await ProblemAssert.IsProblemAsync(takeGenerated, HttpStatusCode.BadRequest, "invalid_request", "id");
        Assert.Equal("owner-user", (await ReadAsync(owner, imported)).GetProperty("endUserId").GetString());
        Assert.Equal("owner-user-2", (await ReadAsync(owner, generated)).GetProperty("endUserId").GetString());

        // The owner may still name its own generated id, to reconnect it.
        var reconnect = await ImportAsync(owner, generated, "owner-user-2");
        Assert.Equal(HttpStatusCode.OK, reconnect.StatusCode);
    }

    [Fact]
    public async Task LegacyConnection_StoredUnderItsBareId_IsReadListedAndRefreshed_OnlyByItsTenant_AndAdopted()
    {
        using var kit = await ConnectionKit.CreateAsync(_host);
        using var other = await ConnectionKit.CreateAsync(_host);
        var id = "legacy-" + Guid.NewGuid().ToString("N")[..8];
        var refreshToken = await kit.MintRefreshTokenAsync("legacy@example.com");
        // What an import stored before ids were scoped: the end user's claim, and the grain under the bare id.
        await _host.Grains.GetGrain<IEndUserGrain>(EndUserKeys.For(kit.Tenant.Id, "legacy-user")).ClaimAsync(id);
        var stored = await _host.Grains.GetGrain<IConnectionGrain>(id).ConnectAsync(new ConnectCommand(
            kit.Tenant.Id, "legacy-user", refreshToken, null, null, ["https://www.googleapis.com/auth/calendar"], "legacy@example.com", """{"plan":"gold"}"""), _ct);
        Assert.Equal(ConnectResult.Created, stored.Result);

        var stranger = await other.Api.GetAsync($"/v1/connections/{id}", _ct); // another tenant's grain of the id adopts nothing
        var view = await ReadAsync(kit, id);
        var listed = await ListAsync(kit);
        var token = await kit.TokenOkAsync(id, forceRefresh: true);
        var metadata = await kit.Api.PatchAsJsonAsync($"/v1/connections/{id}", new { metadata = new { plan = "platinum" } }, _ct);

        await ProblemAssert.IsProblemAsync(stranger, HttpStatusCode.NotFound, "not_found");
        Assert.Equal(("legacy-user", "gold"), (view.GetProperty("endUserId").GetString(), view.GetProperty("metadata").GetProperty("plan").GetString()));
        Assert.Single(listed, c => c.Id == id);
        Assert.False(string.IsNullOrEmpty(token.AccessToken));
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
        // Adopted: the bare-id grain holds nothing now, and the cluster-wide count names the scoped key only.
        Assert.Null(await _host.Grains.GetGrain<IConnectionGrain>(id).GetAsync(kit.Tenant.Id));
        await Eventually.HoldsAsync(
            async () => await _host.Services.GetRequiredService<IOrderedIndex>().PageAsync(ConnectionIndexSets.Everywhere(ConnectionStatus.Active), null, 10_000),
            members => members.Contains(ConnectionKeys.For(kit.Tenant.Id, id)) && !members.Contains(id),
            because: "the adopted connection is counted under its scoped key");
        // A reconnect by import reaches the adopted connection, not a new one.
        var reimport = await ImportAsync(kit, id, "legacy-user", validate: false);
        Assert.Equal(HttpStatusCode.OK, reimport.StatusCode);
        Assert.Equal("platinum", (await ReadAsync(kit, id)).GetProperty("metadata").GetProperty("plan").GetString());
    }

    private async Task<JsonElement> ReadAsync(ConnectionKit kit, string id)
    {
        var response = await kit.Api.GetAsync($"/v1/connections/{id}", _ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
    }

    private async Task<List<(string Id, string EndUser)>> ListAsync(ConnectionKit kit)
    {
        var page = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections?limit=200", _ct);
        return [.. page.GetProperty("data").EnumerateArray().Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("endUserId").GetString()!))];
    }

    private async Task<HttpStatusCode> VapiTokenAsync(ConnectionKit kit, string id)
    {
        var plan = (await (await kit.Api.PostAsync($"/v1/connections/{id}/vapi-custom-credential", null, _ct)).Content.ReadFromJsonAsync<JsonElement>(_ct))
            .GetProperty("authenticationPlan");
        Assert.Equal(ClientIds.For(kit.Tenant.Id, id), plan.GetProperty("clientId").GetString());
        using var response = await _host.Http.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = plan.GetProperty("clientId").GetString()!,
            ["client_secret"] = plan.GetProperty("clientSecret").GetString()!,
        }), _ct);
        return response.StatusCode;
    }

    private async Task<string> ImportWithoutIdAsync(ConnectionKit kit, string endUserId)
    {
        var response = await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { endUserId, refreshToken = "1//generated" }, _ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("id").GetString()!;
    }

    private Task<HttpResponseMessage> ImportAsync(ConnectionKit kit, string id, string endUserId, bool validate = false) =>
        kit.Api.PostAsJsonAsync($"/v1/connections?validate={(validate ? "true" : "false")}", new { id, endUserId, refreshToken = "1//again" }, _ct);

    /// <summary>Status and body with the id itself and the trace id taken out: what tells one answer from another.</summary>
    private async Task<string> ShapeAsync(HttpResponseMessage response, string id)
    {
        var body = await response.Content.ReadAsStringAsync(_ct);
        body = System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", "");
        return $"{(int)response.StatusCode} {body.Replace(id, "{id}", StringComparison.Ordinal)}";
    }
}
