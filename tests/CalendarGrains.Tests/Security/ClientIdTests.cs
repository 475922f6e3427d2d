using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Nango;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Custom-credential client ids have a strict shape (checked before any grain is asked): a
/// generated connection id as it is, an imported one with its tenant, <c>{tenantId}/{id}</c>.
/// </summary>
public sealed class ClientIdTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImportedConnection_ClientIdNamesItsTenant_AndWorksByFormAndByBasic()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = "user-" + Guid.NewGuid().ToString("N")[..8];
        await NangoRoutesTests.ImportAsync(kit, id, id, await kit.MintRefreshTokenAsync($"{id}@example.com"));
        var plan = (await (await kit.Api.PostAsync($"/v1/connections/{id}/vapi-custom-credential", null, _ct)).Content.ReadFromJsonAsync<JsonElement>(_ct))
            .GetProperty("authenticationPlan");
        var (clientId, secret) = (plan.GetProperty("clientId").GetString()!, plan.GetProperty("clientSecret").GetString()!);

        var byForm = await fixture.Host.Http.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        }), _ct);
        using var basic = new HttpRequestMessage(HttpMethod.Post, "/oauth2/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
        };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        var byBasic = await fixture.Host.Http.SendAsync(basic, _ct);
        var bare = await fixture.Host.Http.PostAsync("/oauth2/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = id,
            ["client_secret"] = secret,
        }), _ct);

        Assert.Equal($"{kit.Tenant.Id}/{id}", clientId);
        Assert.Equal(HttpStatusCode.OK, byForm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byBasic.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode); // a bare imported id is not a client id
    }
}
