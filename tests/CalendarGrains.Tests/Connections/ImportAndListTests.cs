using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Connections;

/// <summary>Importing existing grants (the Nango move) and listing connections.</summary>
public sealed class ImportAndListTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Import_WithAGoodRefreshToken_IsValidatedByOneRefresh_AndKeepsTheGivenId()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var refreshToken = await GrantAsync(kit, "imported@example.com");
        var refreshes = kit.Google.GetStats().RefreshGrants;

        var response = await kit.Api.PostAsJsonAsync("/v1/connections", new
        {
            id = "nango-conn-42",
            endUserId = "legacy-user",
            refreshToken,
            metadata = new { plan = "pro" },
        }, _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var connection = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("nango-conn-42", connection.GetProperty("id").GetString());
        Assert.Equal("imported@example.com", connection.GetProperty("accountEmail").GetString());
        Assert.Equal("pro", connection.GetProperty("metadata").GetProperty("plan").GetString());
        Assert.Equal(refreshes + 1, kit.Google.GetStats().RefreshGrants);
        Assert.NotNull(kit.Google.ValidateAccessToken((await kit.TokenOkAsync("nango-conn-42")).AccessToken));
        Assert.DoesNotContain(refreshToken, connection.ToString(), StringComparison.Ordinal);

        // Importing again (a re-run) updates the same connection.
        var again = await kit.Api.PostAsJsonAsync("/v1/connections", new { id = "nango-conn-42", endUserId = "legacy-user", refreshToken }, _ct);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Import_OfADeadRefreshToken_Is422_AndStoresNothing()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);

        var response = await kit.Api.PostAsJsonAsync("/v1/connections", new { id = "dead-1", endUserId = "dead-user", refreshToken = "1//not-a-real-token" }, _ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("refresh_token_invalid", (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.GetAsync("/v1/connections/dead-1", _ct)).StatusCode);
        // The end user is free: a later import under another id works.
        var refreshToken = await GrantAsync(kit, "dead-user@example.com");
        Assert.Equal(HttpStatusCode.Created, (await kit.Api.PostAsJsonAsync("/v1/connections", new { id = "dead-2", endUserId = "dead-user", refreshToken }, _ct)).StatusCode);
    }

    [Fact]
    public async Task Import_WithValidateFalse_StoresWithoutAskingGoogle()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var requests = kit.Google.GetStats().TokenRequests;

        var response = await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { endUserId = "unchecked", refreshToken = "1//unchecked" }, _ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.StartsWith("conn_", (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(requests, kit.Google.GetStats().TokenRequests);
    }

    [Fact]
    public async Task Import_OfAnIdThatBelongsToAnotherEndUser_Is409_AndChangesNothing()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        Assert.Equal(HttpStatusCode.Created, (await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { id = "shared-id", endUserId = "alice", refreshToken = "1//a" }, _ct)).StatusCode);
        var before = await kit.Api.GetStringAsync("/v1/connections/shared-id", _ct);

        var response = await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { id = "shared-id", endUserId = "bob", refreshToken = "1//b" }, _ct);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(before, await kit.Api.GetStringAsync("/v1/connections/shared-id", _ct));
    }

    [Fact]
    public async Task List_PagesWithACursor_AndFiltersByStatusAndEndUser()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        for (var i = 0; i < 5; i++)
        {
            await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { endUserId = $"lister-{i}", refreshToken = $"1//{i}" }, _ct);
        }

        var revokedId = await kit.ConnectAsync("lister-revoked", "lister-revoked@example.com");
        kit.Google.RevokeUser("lister-revoked@example.com");
        Assert.Equal(HttpStatusCode.Conflict, (await kit.TokenAsync(revokedId, forceRefresh: true)).StatusCode);

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", _ct);
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(6, seen.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        var needsReauth = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections?status=needs_reauth", _ct);
        Assert.Equal([revokedId], needsReauth.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var active = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections?status=active&limit=200", _ct);
        Assert.Equal(5, active.GetProperty("data").GetArrayLength());
        var one = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections?endUserId=lister-3", _ct);
        Assert.Equal("lister-3", one.GetProperty("data")[0].GetProperty("endUserId").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await kit.Api.GetAsync("/v1/connections?status=sleeping", _ct)).StatusCode);
    }

    [Fact]
    public async Task PatchMetadata_ReplacesTheObject_AndRejectsNonObjects()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { id = "meta-1", endUserId = "meta", refreshToken = "1//m", metadata = new { a = 1 } }, _ct);

        var patched = await kit.Api.PatchAsJsonAsync("/v1/connections/meta-1", new { metadata = new { b = 2 } }, _ct);
        var bad = await kit.Api.PatchAsJsonAsync("/v1/connections/meta-1", new { metadata = new[] { 1, 2 } }, _ct);

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var metadata = (await patched.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("metadata");
        Assert.False(metadata.TryGetProperty("a", out _));
        Assert.Equal(2, metadata.GetProperty("b").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static Task<string> GrantAsync(ConnectionKit kit, string email) => kit.MintRefreshTokenAsync(email);
}
