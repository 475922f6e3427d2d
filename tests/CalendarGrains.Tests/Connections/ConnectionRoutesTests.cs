using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Connections;

/// <summary>Deleting, Vapi credentials, the client-credentials endpoint, and tenant isolation.</summary>
public sealed class ConnectionRoutesTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Delete_RevokesAtGoogleOnce_AndTheConnectionIsGone()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("leaving", "leaving@example.com");
        var token = await kit.TokenOkAsync(id);
        var revocations = kit.Google.GetStats().Revocations;

        var response = await kit.Api.DeleteAsync($"/v1/connections/{id}", _ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(revocations + 1, kit.Google.GetStats().Revocations);
        Assert.Null(kit.Google.ValidateAccessToken(token.AccessToken)); // the grant is dead at Google
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.GetAsync($"/v1/connections/{id}", _ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await kit.TokenAsync(id)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.DeleteAsync($"/v1/connections/{id}", _ct)).StatusCode);
        var page = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections", _ct);
        Assert.DoesNotContain(page.GetProperty("data").EnumerateArray(), c => c.GetProperty("id").GetString() == id);

        // The end user is free again: connecting makes a new connection, not the old id back.
        Assert.NotEqual(id, await kit.ConnectAsync("leaving", "leaving@example.com"));
    }

    [Fact]
    public async Task Delete_WithoutRevoke_LeavesTheGrantAtGoogle()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("keep-grant", "keep@example.com");
        var token = await kit.TokenOkAsync(id);
        var revocations = kit.Google.GetStats().Revocations;

        Assert.Equal(HttpStatusCode.NoContent, (await kit.Api.DeleteAsync($"/v1/connections/{id}?revoke=false", _ct)).StatusCode);

        Assert.Equal(revocations, kit.Google.GetStats().Revocations);
        Assert.NotNull(kit.Google.ValidateAccessToken(token.AccessToken));
    }

    [Fact]
    public async Task VapiCredential_IsVapisShapeWithTheConnectionId()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("vapi-user", "vapi-user@example.com");

        var credential = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}/vapi-credential", _ct);

        Assert.Equal("google.calendar.oauth2-authorization", credential.GetProperty("provider").GetString());
        Assert.Equal(id, credential.GetProperty("authorizationId").GetString());
        Assert.InRange(credential.GetProperty("name").GetString()!.Length, 1, 40);
    }

    [Fact]
    public async Task OAuthTokenEndpoint_WithBasicAndWithFormCredentials_ReturnsTheAccessToken_AndAWrongSecretIs401()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("custom-cred", "custom@example.com");
        var created = await (await kit.Api.PostAsync($"/v1/connections/{id}/vapi-custom-credential", null, _ct)).Content.ReadFromJsonAsync<JsonElement>(_ct);
        Assert.Equal("custom-credential", created.GetProperty("provider").GetString());
        var plan = created.GetProperty("authenticationPlan");
        Assert.Equal("oauth2", plan.GetProperty("type").GetString());
        Assert.Equal(id, plan.GetProperty("clientId").GetString());
        var url = new Uri(plan.GetProperty("url").GetString()!);
        Assert.Equal("/oauth2/token", url.AbsolutePath);
        var secret = plan.GetProperty("clientSecret").GetString()!;
        var expected = (await kit.TokenOkAsync(id)).AccessToken;

        var basic = await PostTokenAsync(url, basic: (id, secret));
        var form = await PostTokenAsync(url, form: (id, secret));
        var wrong = await PostTokenAsync(url, basic: (id, "cgs_wrong"));
        var wrongForm = await PostTokenAsync(url, form: (id, "cgs_wrong"));

        foreach (var ok in new[] { basic, form })
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            var body = await ok.Content.ReadFromJsonAsync<JsonElement>(_ct);
            Assert.Equal(expected, body.GetProperty("access_token").GetString());
            Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
            Assert.InRange(body.GetProperty("expires_in").GetInt32(), 60, 3600);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_client", (await wrong.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("error").GetString());
        Assert.Contains(wrong.Headers.WwwAuthenticate, h => h.Scheme == "Basic");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongForm.StatusCode);
    }

    [Fact]
    public async Task OAuthTokenEndpoint_OldSecretStopsWorkingWhenRotated_AndOtherGrantsAreRefused()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await kit.ConnectAsync("rotating", "rotating@example.com");
        var first = (await (await kit.Api.PostAsync($"/v1/connections/{id}/vapi-custom-credential", null, _ct)).Content.ReadFromJsonAsync<JsonElement>(_ct))
            .GetProperty("authenticationPlan").GetProperty("clientSecret").GetString()!;
        var second = (await (await kit.Api.PostAsync($"/v1/connections/{id}/vapi-custom-credential", null, _ct)).Content.ReadFromJsonAsync<JsonElement>(_ct))
            .GetProperty("authenticationPlan").GetProperty("clientSecret").GetString()!;
        var url = new Uri(fixture.Host.BaseUrl, "/oauth2/token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostTokenAsync(url, form: (id, first))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostTokenAsync(url, form: (id, second))).StatusCode);
        var password = await fixture.Host.Http.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "password" }), _ct);
        Assert.Equal(HttpStatusCode.BadRequest, password.StatusCode);
        Assert.Equal("unsupported_grant_type", (await password.Content.ReadFromJsonAsync<JsonElement>(_ct)).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/connections/{id}", null)]
    [InlineData("PATCH", "/v1/connections/{id}", "{\"metadata\":{\"a\":1}}")]
    [InlineData("POST", "/v1/connections/{id}/token", "{}")]
    [InlineData("GET", "/v1/connections/{id}/vapi-credential", null)]
    [InlineData("POST", "/v1/connections/{id}/vapi-custom-credential", null)]
    [InlineData("DELETE", "/v1/connections/{id}", null)]
    public async Task EveryConnectionRoute_WithAnotherTenantsKey_Is404AndLeaksNothing(string method, string path, string? body)
    {
        using var owner = await ConnectionKit.CreateAsync(fixture.Host);
        using var stranger = await ConnectionKit.CreateAsync(fixture.Host);
        var id = await owner.ConnectAsync("private-user", "private@example.com");
        var before = await owner.Api.GetStringAsync($"/v1/connections/{id}", _ct);
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{id}", id, StringComparison.Ordinal));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await stranger.Api.SendAsync(request, _ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(_ct);
        Assert.DoesNotContain("private", text, StringComparison.Ordinal);
        Assert.DoesNotContain(owner.Tenant.Id, text, StringComparison.Ordinal);
        Assert.Equal(before, await owner.Api.GetStringAsync($"/v1/connections/{id}", _ct));
        var strangersList = await stranger.Api.GetFromJsonAsync<JsonElement>("/v1/connections?endUserId=private-user", _ct);
        Assert.Equal(0, strangersList.GetProperty("data").GetArrayLength());
    }

    private async Task<HttpResponseMessage> PostTokenAsync(Uri url, (string Id, string Secret)? basic = null, (string Id, string Secret)? form = null)
    {
        var fields = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (form is { } f)
        {
            fields["client_id"] = f.Id;
            fields["client_secret"] = f.Secret;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields) };
        if (basic is { } b)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(b.Id)}:{Uri.EscapeDataString(b.Secret)}")));
        }

        return await fixture.Host.Http.SendAsync(request, _ct);
    }
}
