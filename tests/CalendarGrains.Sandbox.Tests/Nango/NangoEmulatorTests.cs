using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Nango;

namespace CalendarGrains.Sandbox.Tests.Nango;

/// <summary>The Nango emulator over real HTTP: Nango's routes, shapes, pagination, broken credentials, and its control surface.</summary>
public sealed class NangoEmulatorTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Routes_RefuseAMissingMalformedOrUnknownSecretKey_AsNangoDoes()
    {
        var (key, _) = Environment();
        using var client = Client(null);

        await AssertErrorAsync(await client.GetAsync("nango/connections", _ct), HttpStatusCode.Unauthorized, "missing_auth_header");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        await AssertErrorAsync(await client.GetAsync("nango/connections", _ct), HttpStatusCode.Unauthorized, "malformed_auth_header");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
        var unknown = await AssertErrorAsync(await client.GetAsync("nango/connection/x?provider_config_key=google-calendar", _ct), HttpStatusCode.Unauthorized, "unknown_account");
        Assert.Equal("Authentication failed. The provided authorization header does not match any account.", unknown.GetProperty("message").GetString());
    }

    [Fact]
    public async Task List_PagesNewestFirst_ByLimitAndPage_AndFilters()
    {
        var (key, integration) = Environment();
        for (var i = 0; i < 5; i++)
        {
            fixture.Nango.AddConnection(new NangoConnectionSeed($"page-{i}", integration, $"1//{i}", EndUser: new NangoSeedEndUser($"user-{i}", $"user-{i}@example.com")));
        }

        using var client = Client(key);
        var pages = new List<string?>();
        for (var page = 0; ; page++)
        {
            var ids = await ListAsync(client, $"?integrationId={integration}&limit=2&page={page}");
            pages.AddRange(ids);
            if (ids.Count < 2)
            {
                break;
            }
        }

        Assert.Equal(["page-4", "page-3", "page-2", "page-1", "page-0"], pages);
        Assert.Equal(["page-3"], await ListAsync(client, $"?integrationId={integration}&endUserId=user-3"));
        Assert.Equal(["page-1"], await ListAsync(client, $"?integrationId={integration}&connectionId=page-1"));
        Assert.Equal(["page-2"], await ListAsync(client, $"?integrationId={integration}&search=USER-2@"));
        Assert.Empty(await ListAsync(client, "?integrationId=nothing-here"));
        await AssertErrorAsync(await client.GetAsync("nango/connections?limit=5000", _ct), HttpStatusCode.BadRequest, "invalid_query_params");
        await AssertErrorAsync(await client.GetAsync("nango/connections?sort=asc", _ct), HttpStatusCode.BadRequest, "invalid_query_params");
        var summary = (await client.GetFromJsonAsync<JsonElement>($"nango/connections?connectionId=page-0&integrationId={integration}", _ct)).GetProperty("connections")[0];
        Assert.Equal("google-calendar", summary.GetProperty("provider").GetString());
        Assert.Equal("user-0@example.com", summary.GetProperty("end_user").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Get_GivesTheRefreshTokenOnlyWhenAsked_WritesLastFetchedAt_AndABrokenConnectionIs424()
    {
        var (key, integration) = Environment();
        fixture.Nango.AddConnection(new NangoConnectionSeed("creds-1", integration, "1//refresh", "ya29.access", Metadata: new JsonObject { ["a"] = 1 }, Scope: "email calendar"));
        fixture.Nango.AddConnection(new NangoConnectionSeed("creds-broken", integration, "1//dead"));
        fixture.Nango.BreakCredentials("creds-broken", integration);
        using var client = Client(key);

        var plain = await client.GetFromJsonAsync<JsonElement>($"nango/connections/creds-1?provider_config_key={integration}", _ct);
        var withRefresh = await client.GetFromJsonAsync<JsonElement>($"nango/connection/creds-1?provider_config_key={integration}&refresh_token=true", _ct);

        Assert.Equal("ya29.access", plain.GetProperty("credentials").GetProperty("access_token").GetString());
        Assert.False(plain.GetProperty("credentials").TryGetProperty("refresh_token", out _));
        Assert.Equal("1//refresh", withRefresh.GetProperty("credentials").GetProperty("refresh_token").GetString());
        Assert.Equal("email calendar", withRefresh.GetProperty("credentials").GetProperty("raw").GetProperty("scope").GetString());
        Assert.Equal(1, withRefresh.GetProperty("metadata").GetProperty("a").GetInt32());
        Assert.NotNull(fixture.Nango.Find("creds-1", integration)!.LastFetchedAt);
        var broken = await AssertErrorAsync(await client.GetAsync($"nango/connection/creds-broken?provider_config_key={integration}&refresh_token=true", _ct),
            HttpStatusCode.FailedDependency, "invalid_credentials");
        Assert.Empty(broken.GetProperty("payload").GetProperty("connection").GetProperty("credentials").EnumerateObject());
        var listed = await client.GetFromJsonAsync<JsonElement>($"nango/connections?connectionId=creds-broken", _ct);
        Assert.Equal("auth", listed.GetProperty("connections")[0].GetProperty("errors")[0].GetProperty("type").GetString());
        await AssertErrorAsync(await client.GetAsync($"nango/connections/nope?provider_config_key={integration}", _ct), HttpStatusCode.NotFound, "not_found");
        await AssertErrorAsync(await client.GetAsync("nango/connections/creds-1?provider_config_key=unknown-key", _ct), HttpStatusCode.BadRequest, "unknown_provider_config");
    }

    [Fact]
    public async Task MetadataDeleteAndImport_AnswerAsNango_AndTheControlSurfaceSeedsAndBreaks()
    {
        using var control = Client(null);
        var key = Guid.NewGuid().ToString();
        var integration = "ctl-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await control.PostAsJsonAsync("nango/_emulator/secret-keys", new { secretKey = key }, _ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await control.PostAsJsonAsync("nango/_emulator/integrations", new { providerConfigKey = integration, provider = "google-calendar" }, _ct)).StatusCode);
        var seeded = await control.PostAsJsonAsync("nango/_emulator/connections",
            new { connectionId = "ctl-1", providerConfigKey = integration, refreshToken = "1//r", endUserId = "u1", metadata = new { a = 1 } }, _ct);
        Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await control.PostAsJsonAsync("nango/_emulator/connections", new { connectionId = "x", providerConfigKey = "nope", refreshToken = "1//r" }, _ct)).StatusCode);
        using var client = Client(key);

        var set = await client.PostAsJsonAsync("nango/connections/metadata", new { connection_id = "ctl-1", provider_config_key = integration, metadata = new { b = 2 } }, _ct);
        var merged = await client.PatchAsJsonAsync("nango/connections/metadata", new { connection_id = new[] { "ctl-1" }, provider_config_key = integration, metadata = new { c = 3 } }, _ct);
        Assert.Equal(HttpStatusCode.Created, set.StatusCode);
        Assert.Equal(HttpStatusCode.OK, merged.StatusCode);
        Assert.Equal("""{"b":2,"c":3}""", fixture.Nango.Find("ctl-1", integration)!.Metadata!.ToJsonString());
        await AssertErrorAsync(await client.PostAsJsonAsync("nango/connections/metadata", new { connection_id = "nope", provider_config_key = integration, metadata = new { } }, _ct),
            HttpStatusCode.NotFound, "unknown_connection");

        Assert.Equal(HttpStatusCode.OK, (await control.PostAsync("nango/_emulator/connections/ctl-1/break?providerConfigKey=" + integration, null, _ct)).StatusCode);
        Assert.True(fixture.Nango.Find("ctl-1", integration)!.CredentialsBroken);

        var imported = await client.PostAsJsonAsync("nango/connections", new
        {
            provider_config_key = integration,
            connection_id = "ctl-2",
            end_user = new { id = "u2" },
            credentials = new { type = "OAUTH2", access_token = "ya29.a", refresh_token = "1//b" },
        }, _ct);
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        Assert.Equal("u2", fixture.Nango.Find("ctl-2", integration)!.EndUserId);

        var deleted = await client.DeleteAsync($"nango/connections/ctl-2?provider_config_key={integration}", _ct);
        Assert.True((await deleted.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("success").GetBoolean());
        await AssertErrorAsync(await client.DeleteAsync($"nango/connections/ctl-2?provider_config_key={integration}", _ct), HttpStatusCode.BadRequest, "unknown_connection");
        var stats = await control.GetFromJsonAsync<JsonElement>("nango/_emulator/stats", _ct);
        Assert.True(stats.GetProperty("deleteRequests").GetInt64() >= 2);
    }

    private (string Key, string Integration) Environment()
    {
        var key = Guid.NewGuid().ToString();
        var integration = "gcal-" + Guid.NewGuid().ToString("N")[..8];
        fixture.Nango.AddSecretKey(key);
        fixture.Nango.AddIntegration(integration, "google-calendar");
        return (key, integration);
    }

    private HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = fixture.BaseUrl };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    private async Task<List<string?>> ListAsync(HttpClient client, string query) =>
        [.. (await client.GetFromJsonAsync<JsonElement>("nango/connections" + query, _ct)).GetProperty("connections").EnumerateArray()
            .Select(c => c.GetProperty("connection_id").GetString())];

    private static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        return error;
    }
}
