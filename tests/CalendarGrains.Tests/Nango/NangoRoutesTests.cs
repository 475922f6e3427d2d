using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Nango;

/// <summary>The Nango-shaped routes: Nango's shapes and status codes over real HTTP, with a tenant key as the secret key.</summary>
public sealed class NangoRoutesTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private const string Key = "google-calendar";
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetConnection_AnswersNangosShape_WithAFreshToken_AndNeverTheRefreshToken()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var refreshToken = await kit.MintRefreshTokenAsync("shape@example.com");
        await ImportAsync(kit, "shape-1", "shape-user", refreshToken, new { plan = "pro" });

        var response = await kit.Api.GetAsync($"/connections/shape-1?provider_config_key={Key}&refresh_token=true&force_refresh=false", _ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(_ct);
        Assert.DoesNotContain(refreshToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh_token", body, StringComparison.Ordinal);
        var connection = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.Number, connection.GetProperty("id").ValueKind);
        Assert.Equal("shape-1", connection.GetProperty("connection_id").GetString());
        Assert.Equal(Key, connection.GetProperty("provider_config_key").GetString());
        Assert.Equal(Key, connection.GetProperty("provider").GetString());
        Assert.Equal(0, connection.GetProperty("errors").GetArrayLength());
        Assert.Equal("shape-user", connection.GetProperty("end_user").GetProperty("id").GetString());
        Assert.Equal("pro", connection.GetProperty("metadata").GetProperty("plan").GetString());
        Assert.Equal(JsonValueKind.Null, connection.GetProperty("last_fetched_at").ValueKind);
        Assert.EndsWith("+00:00", connection.GetProperty("created_at").GetString(), StringComparison.Ordinal);
        var credentials = connection.GetProperty("credentials");
        Assert.Equal("OAUTH2", credentials.GetProperty("type").GetString());
        var accessToken = credentials.GetProperty("access_token").GetString()!;
        Assert.Equal("shape@example.com", kit.Google.ValidateAccessToken(accessToken));
        Assert.True(DateTimeOffset.Parse(credentials.GetProperty("expires_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > TimeProvider.System.GetUtcNow().AddMinutes(15));
        Assert.Equal(accessToken, credentials.GetProperty("raw").GetProperty("access_token").GetString());
        Assert.Contains("calendar", credentials.GetProperty("raw").GetProperty("scope").GetString(), StringComparison.Ordinal);

        // The legacy path answers the same; force_refresh gets a new token.
        var legacy = await kit.Api.GetFromJsonAsync<JsonElement>($"/connection/shape-1?provider_config_key={Key}&force_refresh=true", _ct);
        Assert.NotEqual(accessToken, legacy.GetProperty("credentials").GetProperty("access_token").GetString());
    }

    [Fact]
    public async Task GetConnection_Errors_AreNangos()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        using var other = await ConnectionKit.CreateAsync(fixture.Host);
        await ImportAsync(other, "someone-elses", "other-user", "1//unchecked", validate: false);

        await AssertErrorAsync(await kit.Api.GetAsync($"/connections/nope?provider_config_key={Key}", _ct), HttpStatusCode.NotFound, "not_found", "Failed to find connection");
        await AssertErrorAsync(await kit.Api.GetAsync($"/connections/someone-elses?provider_config_key={Key}", _ct), HttpStatusCode.NotFound, "not_found", "Failed to find connection");
        await AssertErrorAsync(await kit.Api.GetAsync("/connections/nope?provider_config_key=github", _ct), HttpStatusCode.BadRequest, "unknown_provider_config", "Provider does not exists");
        var missing = await kit.Api.GetAsync("/connections/nope", _ct);
        var error = await AssertErrorAsync(missing, HttpStatusCode.BadRequest, "invalid_query_params");
        Assert.Equal("provider_config_key", error.GetProperty("errors")[0].GetProperty("path")[0].GetString());
    }

    [Fact]
    public async Task EveryRoute_RefusesAMissingOrUnknownKey_InNangosShape()
    {
        using var anonymous = fixture.Host.Client(null);
        using var unknown = fixture.Host.Client("cgk_" + new string('x', 40));
        using var admin = fixture.Host.Client(ServiceHost.AdminKey);
        using var malformed = fixture.Host.Client(null);
        malformed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");

        foreach (var path in (string[])[$"/connections/x?provider_config_key={Key}", "/connections", $"/connection/x?provider_config_key={Key}"])
        {
            var none = await AssertErrorAsync(await anonymous.GetAsync(path, _ct), HttpStatusCode.Unauthorized, "missing_auth_header",
                "Authentication failed. The request is missing the Authorization header.");
            Assert.Equal(JsonValueKind.Object, none.GetProperty("payload").ValueKind);
            await AssertErrorAsync(await unknown.GetAsync(path, _ct), HttpStatusCode.Unauthorized, "unknown_account",
                "Authentication failed. The provided authorization header does not match any account.");
            await AssertErrorAsync(await admin.GetAsync(path, _ct), HttpStatusCode.Unauthorized, "unknown_account");
            await AssertErrorAsync(await malformed.GetAsync(path, _ct), HttpStatusCode.Unauthorized, "malformed_auth_header");
        }

        await AssertErrorAsync(await anonymous.DeleteAsync($"/connections/x?provider_config_key={Key}", _ct), HttpStatusCode.Unauthorized, "missing_auth_header");
        await AssertErrorAsync(await anonymous.PostAsJsonAsync("/connections/metadata", new { }, _ct), HttpStatusCode.Unauthorized, "missing_auth_header");
    }

    [Fact]
    public async Task AConnectionThatNeedsReauth_IsNangosExhaustedRefresh_424()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("reauth-user", "reauth@example.com");
        kit.Google.RevokeUser("reauth@example.com");
        Assert.Equal(HttpStatusCode.Conflict, (await kit.TokenAsync(id, forceRefresh: true)).StatusCode);

        var response = await kit.Api.GetAsync($"/connections/{id}?provider_config_key={Key}", _ct);

        var error = await AssertErrorAsync(response, HttpStatusCode.FailedDependency, "invalid_credentials", "The refresh limit has been reached for this connection.");
        var connection = error.GetProperty("payload").GetProperty("connection");
        Assert.Equal(id, connection.GetProperty("connection_id").GetString());
        Assert.Equal(JsonValueKind.Object, connection.GetProperty("credentials").ValueKind);
        Assert.Empty(connection.GetProperty("credentials").EnumerateObject());
        Assert.Equal("auth", connection.GetProperty("errors")[0].GetProperty("type").GetString());
        var listed = await kit.Api.GetFromJsonAsync<JsonElement>($"/connections?connectionId={id}", _ct);
        Assert.Equal("auth", listed.GetProperty("connections")[0].GetProperty("errors")[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task SetMetadata_Replaces_UpdateMetadata_Merges_AndUnknownConnectionsChangeNothing()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        await ImportAsync(kit, "meta-a", "meta-a-user", "1//a", new { keep = 1, old = true }, validate: false);
        await ImportAsync(kit, "meta-b", "meta-b-user", "1//b", validate: false);

        var set = await kit.Api.PostAsJsonAsync("/connections/metadata",
            new { connection_id = new[] { "meta-a", "meta-b" }, provider_config_key = Key, metadata = new { plan = "pro", seats = 3 } }, _ct);
        Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        Assert.Equal("pro", (await set.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("metadata").GetProperty("plan").GetString());
        var afterSet = await MetadataAsync(kit, "meta-a");
        Assert.False(afterSet.TryGetProperty("old", out _));
        Assert.Equal(3, afterSet.GetProperty("seats").GetInt32());

        var update = await kit.Api.PatchAsJsonAsync("/connections/metadata",
            new { connection_id = "meta-a", provider_config_key = Key, metadata = new { seats = 5, region = "eu" } }, _ct);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        var afterUpdate = await MetadataAsync(kit, "meta-a");
        Assert.Equal("pro", afterUpdate.GetProperty("plan").GetString());
        Assert.Equal(5, afterUpdate.GetProperty("seats").GetInt32());
        Assert.Equal("eu", afterUpdate.GetProperty("region").GetString());

        var unknown = await kit.Api.PostAsJsonAsync("/connections/metadata",
            new { connection_id = new[] { "meta-b", "meta-nope" }, provider_config_key = Key, metadata = new { plan = "free" } }, _ct);
        var error = await AssertErrorAsync(unknown, HttpStatusCode.NotFound, "unknown_connection");
        Assert.Contains("No actions were taken", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("pro", (await MetadataAsync(kit, "meta-b")).GetProperty("plan").GetString());

        var invalid = await kit.Api.PostAsJsonAsync("/connections/metadata", new { connection_id = "meta-a", provider_config_key = Key, metadata = new[] { 1 } }, _ct);
        await AssertErrorAsync(invalid, HttpStatusCode.BadRequest, "invalid_body");
        await AssertErrorAsync(await kit.Api.PatchAsJsonAsync("/connections/metadata",
            new { connection_id = "meta-a", provider_config_key = "github", metadata = new { } }, _ct), HttpStatusCode.NotFound, "unknown_connection");
    }

    [Fact]
    public async Task Delete_RevokesAtGoogle_AnswersSuccess_ThenNangosUnknownConnection()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("delete-user", "delete@example.com");
        var revocations = kit.Google.GetStats().Revocations;

        var deleted = await kit.Api.DeleteAsync($"/connections/{id}?provider_config_key={Key}", _ct);

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.True((await deleted.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("success").GetBoolean());
        Assert.Equal(revocations + 1, kit.Google.GetStats().Revocations);
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.GetAsync($"/v1/connections/{id}", _ct)).StatusCode);
        var again = await AssertErrorAsync(await kit.Api.DeleteAsync($"/connection/{id}?provider_config_key={Key}", _ct), HttpStatusCode.BadRequest, "unknown_connection");
        Assert.False(again.TryGetProperty("message", out _));
    }

    [Fact]
    public async Task List_FiltersByConnectionEndUserAndIntegration_AndPagesByLimitAndPage()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        for (var i = 0; i < 5; i++)
        {
            await ImportAsync(kit, $"list-{i}", $"list-user-{i}", $"1//{i}", new { i }, validate: false);
        }

        var all = await ListAsync(kit, "");
        Assert.Equal(["list-0", "list-1", "list-2", "list-3", "list-4"], all.Select(c => c.GetProperty("connection_id").GetString()));
        var first = all[0];
        Assert.Equal(Key, first.GetProperty("provider_config_key").GetString());
        Assert.Equal("list-user-0", first.GetProperty("end_user").GetProperty("id").GetString());
        Assert.Equal(0, first.GetProperty("metadata").GetProperty("i").GetInt32());
        Assert.EndsWith("Z", first.GetProperty("created").GetString(), StringComparison.Ordinal);

        Assert.Equal(["list-2"], (await ListAsync(kit, "?connectionId=list-2")).Select(Id));
        Assert.Equal(["list-3"], (await ListAsync(kit, "?endUserId=list-user-3")).Select(Id));
        Assert.Empty(await ListAsync(kit, "?endUserId=list-user-3&connectionId=list-2"));
        Assert.Equal(5, (await ListAsync(kit, $"?integrationId={Key},github")).Count);
        Assert.Empty(await ListAsync(kit, "?integrationId=github"));
        Assert.Equal(["list-2", "list-3"], (await ListAsync(kit, "?limit=2&page=1")).Select(Id));
        Assert.Equal(["list-4"], (await ListAsync(kit, "?limit=2&page=2")).Select(Id));
        Assert.Equal(["list-4"], (await ListAsync(kit, "?search=T-4")).Select(Id));
        await AssertErrorAsync(await kit.Api.GetAsync("/connections?limit=0", _ct), HttpStatusCode.BadRequest, "invalid_query_params");
    }

    [Fact]
    public async Task Import_KeepsTheId_IsValidatedByARefresh_AndAnswersNangosErrors()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var refreshToken = await kit.MintRefreshTokenAsync("nango-import@example.com");

        var created = await kit.Api.PostAsJsonAsync("/connections", new
        {
            provider_config_key = Key,
            connection_id = "nango-style-1",
            metadata = new { source = "nango" },
            end_user = new { id = "nango-end-user", email = "nango-import@example.com" },
            credentials = new { type = "OAUTH2", access_token = "ya29.stale", refresh_token = refreshToken, expires_at = "2020-01-01T00:00:00Z" },
        }, _ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync(_ct);
        Assert.DoesNotContain(refreshToken, body, StringComparison.Ordinal);
        var connection = JsonDocument.Parse(body).RootElement;
        Assert.Equal("nango-style-1", connection.GetProperty("connection_id").GetString());
        Assert.Equal("nango-end-user", connection.GetProperty("end_user").GetProperty("id").GetString());
        Assert.NotNull(kit.Google.ValidateAccessToken(connection.GetProperty("credentials").GetProperty("access_token").GetString()!));

        var dead = await kit.Api.PostAsJsonAsync("/connections", new
        {
            provider_config_key = Key,
            connection_id = "nango-style-dead",
            credentials = new { type = "OAUTH2", access_token = "ya29.x", refresh_token = "1//dead" },
        }, _ct);
        await AssertErrorAsync(dead, HttpStatusCode.BadRequest, "connection_validation_failed");
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.GetAsync("/v1/connections/nango-style-dead", _ct)).StatusCode);
        await AssertErrorAsync(await kit.Api.PostAsJsonAsync("/connections", new
        {
            provider_config_key = "github",
            credentials = new { type = "OAUTH2", access_token = "x", refresh_token = "y" },
        }, _ct), HttpStatusCode.NotFound, "not_found", "Integration does not exist");
        await AssertErrorAsync(await kit.Api.PostAsJsonAsync("/connections", new
        {
            provider_config_key = Key,
            credentials = new { type = "API_KEY", apiKey = "x" },
        }, _ct), HttpStatusCode.BadRequest, "invalid_body");
        await AssertErrorAsync(await kit.Api.PostAsJsonAsync("/connections", new { provider_config_key = Key, surprise = 1 }, _ct), HttpStatusCode.BadRequest, "invalid_body");
    }

    [Fact]
    public async Task OpenApi_DescribesTheNangoRoutes_AndNotTheNangoEmulator()
    {
        var paths = (await fixture.Host.Http.GetFromJsonAsync<JsonElement>("/openapi/v1.json", _ct)).GetProperty("paths");

        Assert.True(paths.TryGetProperty("/connections/{connectionId}", out var connection));
        Assert.True(connection.TryGetProperty("get", out _));
        Assert.True(paths.TryGetProperty("/connections/metadata", out _));
        Assert.DoesNotContain(paths.EnumerateObject(), path => path.Name.StartsWith("/sandbox/", StringComparison.Ordinal));
    }

    internal static async Task ImportAsync(ConnectionKit kit, string id, string endUserId, string refreshToken, object? metadata = null, bool validate = true)
    {
        var response = await kit.Api.PostAsJsonAsync($"/v1/connections?validate={(validate ? "true" : "false")}",
            new { id, endUserId, refreshToken, metadata }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    internal static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? message = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        if (message is not null)
        {
            Assert.Equal(message, error.GetProperty("message").GetString());
        }

        return error;
    }

    private static string? Id(JsonElement connection) => connection.GetProperty("connection_id").GetString();

    private async Task<List<JsonElement>> ListAsync(ConnectionKit kit, string query) =>
        [.. (await kit.Api.GetFromJsonAsync<JsonElement>("/connections" + query, _ct)).GetProperty("connections").EnumerateArray()];

    /// <summary>Read through our own route: these connections hold made-up refresh tokens, so a Nango read (which hands out a token) would fail.</summary>
    private async Task<JsonElement> MetadataAsync(ConnectionKit kit, string id) =>
        (await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct)).GetProperty("metadata");
}
