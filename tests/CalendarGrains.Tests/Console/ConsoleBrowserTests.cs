using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Sandbox.Vapi;
using CalendarGrains.Silo.Calls;
using CalendarGrains.Silo.Vapi;
using CalendarGrains.Tests.Calls;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>
/// The console in a real headless Chromium (<see cref="ConsoleBrowser"/>), against the real service
/// and its Google and Vapi emulators. Screenshots of every step are kept beside the test binaries
/// (<c>TestResults/console-browser/</c>) and attached to the test result.
/// </summary>
public sealed class ConsoleBrowserTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Console_InChromium_ShowsAndActsOnATenantsObjects_AndHidesThemFromAnotherTenant()
    {
        var script = ConsoleBrowser.Locate();
        var host = fixture.Host;
        using var a = await ConnectionKit.CreateAsync(host);
        using var b = await ConnectionKit.CreateAsync(host);
        await RenameAsync(a, "Acme Dental");
        await RenameAsync(b, "Globex Clinics");
        var reauth = await a.ConnectAsync("reauth-user", "reauth@example.com");
        var refresh = await a.ConnectAsync("refresh-user", "refresh@example.com");
        var delete = await a.ConnectAsync("delete-user", "delete@example.com");
        var theirs = await b.ConnectAsync("b-user", "b-user@example.com");

        // The user removes our access in their Google account; the next refresh learns it.
        Assert.Equal(1, a.Google.RevokeUser("reauth@example.com"));
        Assert.Equal(HttpStatusCode.Conflict, (await a.TokenAsync(reauth, forceRefresh: true)).StatusCode);
        var callId = await PlaceLiveCallAsync(a, refresh);
        var google = a.Google.GetStats();

        var screenshots = Path.Combine(AppContext.BaseDirectory, "TestResults", "console-browser");
        if (Directory.Exists(screenshots))
        {
            Directory.Delete(screenshots, recursive: true); // only this run's pictures
        }

        var seen = await ConsoleBrowser.RunAsync(script, new
        {
            baseUrl = host.BaseUrl.AbsoluteUri,
            chromium = ConsoleBrowser.Chromium,
            screenshots,
            tenantA = new { id = a.Tenant.Id, key = a.Tenant.ApiKey, needsReauthId = reauth, refreshId = refresh, deleteId = delete, liveCallId = callId },
            tenantB = new { id = b.Tenant.Id, key = b.Tenant.ApiKey },
        }, _ct);
        Attach(seen);

        var signIn = Step(seen, "signed-in-as-a");
        Assert.EndsWith("/console/sign-in?returnUrl=%2Fconsole", signIn.GetProperty("signInUrl").GetString(), StringComparison.Ordinal);
        Assert.EndsWith($"/console/t/{a.Tenant.Id}", signIn.GetProperty("landedOn").GetString(), StringComparison.Ordinal);

        var needsReauth = Step(seen, "needs-reauth-list");
        Assert.Equal("1", needsReauth.GetProperty("count").GetString());
        Assert.Contains("needs_reauth", needsReauth.GetProperty("row").GetString(), StringComparison.Ordinal);
        var reauthPage = Step(seen, "needs-reauth-connection");
        Assert.Equal("needs_reauth", reauthPage.GetProperty("status").GetString());
        Assert.StartsWith("invalid_grant", reauthPage.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Matches("^active .*created needs_reauth .*invalid_grant$", reauthPage.GetProperty("history").GetString());

        // Force a refresh: Google saw exactly one more refresh, and the page says so without showing the token.
        var forced = Step(seen, "force-refresh");
        Assert.StartsWith("Refreshed", forced.GetProperty("outcome").GetString(), StringComparison.Ordinal);
        Assert.Equal("active", forced.GetProperty("status").GetString());
        Assert.NotEqual(forced.GetProperty("before").GetString(), forced.GetProperty("after").GetString());
        Assert.Equal(google.RefreshGrants + 1, a.Google.GetStats().RefreshGrants);
        var credential = JsonDocument.Parse(forced.GetProperty("vapiCredential").GetString()!).RootElement;
        Assert.Equal(refresh, credential.GetProperty("authorizationId").GetString());
        Assert.Equal(forced.GetProperty("vapiCredential").GetString(), forced.GetProperty("copied").GetString()); // the clipboard button

        // Delete: revoked at Google, gone from the API.
        var deleted = Step(seen, "delete");
        Assert.Contains(delete, deleted.GetProperty("notice").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, deleted.GetProperty("listed").ValueKind);
        Assert.Equal(404, Step(seen, "deleted-is-gone").GetProperty("status").GetInt32());
        Assert.Equal(google.Revocations + 1, a.Google.GetStats().Revocations);
        Assert.Equal(HttpStatusCode.NotFound, (await a.Api.GetAsync($"/v1/connections/{delete}", _ct)).StatusCode);

        var live = Step(seen, "live-call");
        Assert.Contains("in-progress", live.GetProperty("live").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("1 live", live.GetProperty("queue").GetString(), StringComparison.Ordinal);
        Assert.Contains("ringing", Step(seen, "call-history").GetProperty("history").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("/console/sign-in?returnUrl=" + Uri.EscapeDataString($"/console/t/{a.Tenant.Id}"), Step(seen, "sign-out").GetProperty("url").GetString(), StringComparison.Ordinal);

        // Tenant B: none of A's objects exist for it; its own do.
        Assert.EndsWith($"/console/t/{b.Tenant.Id}", Step(seen, "signed-in-as-b").GetProperty("landedOn").GetString(), StringComparison.Ordinal);
        var own = Step(seen, "b-sees-its-own").GetProperty("ownList").GetString();
        Assert.Contains(theirs, own, StringComparison.Ordinal);
        Assert.DoesNotContain(refresh, own, StringComparison.Ordinal);
        Assert.DoesNotContain(reauth, own, StringComparison.Ordinal);
        var isolated = Step(seen, "b-cannot-see-a");
        Assert.Equal(404, isolated.GetProperty("connectionStatus").GetInt32());
        Assert.Equal(404, isolated.GetProperty("callStatus").GetInt32());
        Assert.Equal(404, isolated.GetProperty("tenantStatus").GetInt32());
        Assert.Contains("Not found", isolated.GetProperty("tenantText").GetString(), StringComparison.Ordinal);

        // Throughout: no key in any URL the browser asked for, and no CSP violation on any page.
        var urls = seen.GetProperty("urls").EnumerateArray().Select(url => url.GetString()!).ToList();
        Assert.NotEmpty(urls);
        Assert.DoesNotContain(urls, url => url.Contains(a.Tenant.ApiKey, StringComparison.Ordinal) || url.Contains(b.Tenant.ApiKey, StringComparison.Ordinal));
        Assert.Empty(seen.GetProperty("cspViolations").EnumerateArray());
    }

    /// <summary>A call placed through the API that the Vapi emulator (stepped by hand) has ringing and then in progress.</summary>
    private async Task<string> PlaceLiveCallAsync(ConnectionKit kit, string connectionId)
    {
        var vapi = kit.Host.Services.GetRequiredService<VapiEmulator>();
        vapi.Use(EmulatorSettings.Manual);
        var vapiKey = "vapi-console-" + Guid.NewGuid().ToString("N");
        var patched = await kit.Host.Admin.PatchAsJsonAsync($"/v1/tenants/{kit.Tenant.Id}",
            new { vapi = new { apiKey = vapiKey, assistantId = "asst-console", phoneNumberId = "phone-console" } }, _ct);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        vapi.RegisterAccount(vapiKey, 3, new Uri(kit.Host.BaseUrl, VapiEventsApi.PathFor(kit.Tenant.Id)), kit.Tenant.VapiServerSecret);

        var placed = await kit.Api.PostAsJsonAsync("/v1/calls", new { connectionId, customer = new { number = "+15550123" } }, _ct);
        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var callId = (await placed.Content.ReadFromJsonAsync<CallResource>(Json, _ct))!.Id;
        var queued = await WaitForAsync(kit, callId, call => call.VapiCallId is not null && call.Status == CallStatus.Queued);
        await vapi.AdvanceAsync(queued.VapiCallId!, _ct); // ringing
        await vapi.AdvanceAsync(queued.VapiCallId!, _ct); // in-progress
        await WaitForAsync(kit, callId, call => call.Status == CallStatus.InProgress);
        return callId;
    }

    private async Task RenameAsync(ConnectionKit kit, string name) =>
        Assert.Equal(HttpStatusCode.OK, (await kit.Host.Admin.PatchAsJsonAsync($"/v1/tenants/{kit.Tenant.Id}", new { name }, _ct)).StatusCode);

    private Task<CallResource> WaitForAsync(ConnectionKit kit, string callId, Func<CallResource, bool> condition) =>
        Eventually.HoldsAsync(async () => (await kit.Api.GetFromJsonAsync<CallResource>($"/v1/calls/{callId}", Json, _ct))!, condition, TimeSpan.FromSeconds(30), $"call {callId}");

    private static JsonElement Step(JsonElement seen, string name)
    {
        Assert.True(seen.GetProperty("steps").TryGetProperty(name, out var step), $"The walk never reached '{name}': {seen.GetProperty("steps")}");
        Assert.True(step.GetProperty("ok").GetBoolean(), $"Step '{name}' failed: {step}");
        return step;
    }

    /// <summary>Every screenshot the walk took, on the test result.</summary>
    private static void Attach(JsonElement seen)
    {
        foreach (var step in seen.GetProperty("steps").EnumerateObject())
        {
            if (step.Value.TryGetProperty("screenshot", out var file) && File.Exists(file.GetString()))
            {
                TestContext.Current.AddAttachment(Path.GetFileName(file.GetString()!), File.ReadAllBytes(file.GetString()!), "image/png");
            }
        }
    }
}
