using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Silo.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;

namespace CalendarGrains.Tests.Connections;

/// <summary>Token hand-out against the Google emulator, with the product clock under the test's control.</summary>
public sealed class TokenTests(FakeClockHostFixture fixture) : IClassFixture<FakeClockHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task AValidCachedToken_IsServedFromMemory_WithoutAskingGoogle()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("cached", "cached@example.com");
        var refreshes = kit.Google.GetStats().RefreshGrants;

        var first = await kit.TokenOkAsync(id);
        var second = await kit.TokenOkAsync(id, minValiditySeconds: 600);

        Assert.Equal(first.AccessToken, second.AccessToken);
        Assert.Equal("Bearer", first.TokenType);
        Assert.Equal(refreshes, kit.Google.GetStats().RefreshGrants);
    }

    [Fact]
    public async Task AThousandConcurrentRequestsForAnExpiredToken_CauseOneRefresh_AndAllGetTheSameNewToken()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("crowd", "crowd@example.com");
        var old = await kit.TokenOkAsync(id);
        fixture.Clock.Advance(TimeSpan.FromHours(2)); // the cached token is now expired
        var refreshesBefore = kit.Google.GetStats().RefreshGrants;
        kit.Google.Latency = TimeSpan.FromMilliseconds(300); // a refresh slow enough that everybody arrives during it
        try
        {
            using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1000 }) { BaseAddress = fixture.Host.BaseUrl };
            client.DefaultRequestHeaders.Authorization = new("Bearer", kit.Tenant.ApiKey);

            var responses = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => kit.TokenAsync(id, client: client)));

            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var tokens = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<AccessTokenResponse>(_ct)));
            var distinct = tokens.Select(t => t!.AccessToken).Distinct().ToList();
            Assert.Single(distinct);
            Assert.NotEqual(old.AccessToken, distinct[0]);
            Assert.Equal(refreshesBefore + 1, kit.Google.GetStats().RefreshGrants);
        }
        finally
        {
            kit.Google.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task ARevokedUser_WithForceRefresh_Is409NeedsReauth_AfterOneAttempt_OneSignedWebhook_AndReconnectingRestoresTheSameId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var kit = await ConnectionKit.CreateAsync(fixture.Host, webhookUrl: receiver.Url());
        var id = await kit.ConnectAsync("revoked", "revoked@example.com");
        kit.Google.RevokeUser("revoked@example.com");
        var attemptsBefore = kit.Google.GetStats().TokenRequests;

        var response = await kit.TokenAsync(id, forceRefresh: true);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("connection_needs_reauth", problem.GetProperty("code").GetString());
        Assert.Equal("invalid_grant", problem.GetProperty("lastError").GetProperty("code").GetString());
        Assert.Equal(attemptsBefore + 1, kit.Google.GetStats().TokenRequests);
        var connection = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct);
        Assert.Equal("needs_reauth", connection.GetProperty("status").GetString());

        // No retry storm: asking again does not go to Google.
        Assert.Equal(HttpStatusCode.Conflict, (await kit.TokenAsync(id, forceRefresh: true)).StatusCode);
        Assert.Equal(attemptsBefore + 1, kit.Google.GetStats().TokenRequests);

        // The tenant hears of it once, signed so any Standard Webhooks library verifies it.
        var delivered = await Eventually.HoldsAsync(
            () => Task.FromResult(receiver.Delivered.Where(w => w.BodyText.Contains("\"connection.needs_reauth\"", StringComparison.Ordinal)).ToList()),
            hooks => hooks.Count >= 1,
            because: "the needs_reauth webhook arrives");
        var hook = Assert.Single(delivered);
        Assert.True(IndependentWebhookVerifier.Verifies(kit.Tenant.WebhookSecret, hook.Id, hook.Headers["webhook-timestamp"], hook.Headers["webhook-signature"], hook.BodyText));
        using var body = JsonDocument.Parse(hook.BodyText);
        Assert.Equal(id, body.RootElement.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("needs_reauth", body.RootElement.GetProperty("data").GetProperty("status").GetString());

        Assert.Equal(id, await kit.ConnectAsync("revoked", "revoked@example.com"));
        Assert.Equal("active", (await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct)).GetProperty("status").GetString());
        var fresh = await kit.TokenOkAsync(id, forceRefresh: true);
        Assert.NotNull(kit.Google.ValidateAccessToken(fresh.AccessToken));
    }

    [Fact]
    public async Task Google503ThreeTimesThen200_TheCallerGetsANewToken()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("outage", "outage@example.com");
        var old = await kit.TokenOkAsync(id);
        fixture.Clock.Advance(TimeSpan.FromHours(2)); // nothing valid is cached
        var attemptsBefore = kit.Google.GetStats().TokenRequests;
        kit.Google.FailNext(3, 503);

        var token = await kit.TokenOkAsync(id);

        Assert.NotEqual(old.AccessToken, token.AccessToken);
        Assert.Equal(attemptsBefore + 4, kit.Google.GetStats().TokenRequests);
    }

    [Fact]
    public async Task DuringAnOutage_AStillValidCachedToken_IsServedWithoutWaitingForTheRefresh()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("during", "during@example.com");
        var old = await kit.TokenOkAsync(id);
        fixture.Clock.Advance(TimeSpan.FromMinutes(57)); // ~3 minutes left: valid, but under the default 5 minutes asked
        var refreshesBefore = kit.Google.GetStats().RefreshGrants;
        kit.Google.FailNext(3, 503);
        kit.Google.Latency = TimeSpan.FromMilliseconds(400); // each attempt is slow: the refresh takes seconds
        try
        {
            var first = await kit.TokenOkAsync(id);
            var second = await kit.TokenOkAsync(id);

            // Both got the still-valid token while Google was still failing (no successful refresh yet).
            Assert.Equal(old.AccessToken, first.AccessToken);
            Assert.Equal(old.AccessToken, second.AccessToken);
            Assert.Equal(refreshesBefore, kit.Google.GetStats().RefreshGrants);

            // The refresh went on in the background and its token is served once it lands.
            var renewed = await Eventually.HoldsAsync(() => kit.TokenOkAsync(id), t => t.AccessToken != old.AccessToken, because: "the background refresh lands");
            Assert.Equal(refreshesBefore + 1, kit.Google.GetStats().RefreshGrants);
            Assert.NotNull(kit.Google.ValidateAccessToken(renewed.AccessToken));
        }
        finally
        {
            kit.Google.Latency = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task GoogleDownAndNothingValidCached_Is503WithRetryAfter_AndTheCooldownSparesGoogle()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("down", "down@example.com");
        fixture.Clock.Advance(TimeSpan.FromHours(2));
        kit.Google.FailNext(4, 503);
        var attemptsBefore = kit.Google.GetStats().TokenRequests;

        var response = await kit.TokenAsync(id);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("provider_unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("code").GetString());
        Assert.Equal(attemptsBefore + 4, kit.Google.GetStats().TokenRequests);

        // Within the cooldown nobody calls Google, however hard they ask.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await kit.TokenAsync(id, forceRefresh: true)).StatusCode);
        }

        Assert.Equal(attemptsBefore + 4, kit.Google.GetStats().TokenRequests);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1)); // past the cooldown: Google is asked again, and answers
        Assert.NotNull((await kit.TokenOkAsync(id)).AccessToken);
    }

    [Fact]
    public async Task AWrongClientSecret_IsTheTenantsConfigurationError_Not_NeedsReauth()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("misconfigured", "m@example.com");
        (await fixture.Host.Admin.PatchAsJsonAsync($"/v1/tenants/{kit.Tenant.Id}", new { google = new { clientSecret = "wrong-secret" } }, _ct)).EnsureSuccessStatusCode();
        fixture.Clock.Advance(TimeSpan.FromHours(2));

        var response = await kit.TokenAsync(id);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("provider_client_rejected", (await response.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("code").GetString());
        var connection = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct);
        Assert.Equal("active", connection.GetProperty("status").GetString());
        Assert.Equal("invalid_client", connection.GetProperty("lastError").GetProperty("code").GetString());
    }
}
