using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Silo.Operations;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>
/// Redis mode: the keys behind the console's cookies and anti-forgery tokens are in Redis, so a
/// session opened on one silo works on another; and they are stored sealed with our encryption keys.
/// </summary>
public sealed class ConsoleClusterTests(RedisServer redis)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASessionAndAFormFromOneSilo_WorkOnAnother_AndTheKeyRingIsSealedInRedis()
    {
        var settings = ServiceHost.InRedisMode(redis);
        await using var a = await ServiceHost.StartAsync(settings);
        await using var b = await ServiceHost.StartAsync(settings);
        await Eventually.HoldsAsync(async () => (await a.Admin.GetFromJsonAsync<ClusterApi.ClusterView>("/v1/cluster", _ct))!.Silos.Count(s => s.Status == "active") == 2);
        var tenant = await TestTenants.CreateAsync(a);
        using var onA = new ConsoleClient(a);
        Assert.Equal(HttpStatusCode.Found, (await onA.SignInAsync(tenant.ApiKey)).StatusCode);
        var page = await onA.GetPageAsync($"/console/t/{tenant.Id}");

        // The same browser, now load-balanced to silo B: the cookies it holds were made by A.
        using var onB = new ConsoleClient(b);
        foreach (Cookie cookie in onA.Cookies.GetCookies(new Uri(a.BaseUrl, "/console/")))
        {
            onB.Cookies.Add(new Uri(b.BaseUrl, "/console/"), new Cookie(cookie.Name, cookie.Value, cookie.Path));
        }

        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync($"/console/t/{tenant.Id}")).StatusCode);
        var signedOut = await onB.PostAsync("/console/sign-out", [("__RequestVerificationToken", ConsoleClient.TokenOf(page))]);
        Assert.Equal(HttpStatusCode.Found, signedOut.StatusCode); // A's anti-forgery token validated on B

        var ring = string.Join('\n', await redis.Connection.GetDatabase().ListRangeAsync(settings["Orleans:ServiceId"] + "/data-protection-keys"));
        Assert.Matches("<sealedKey [^>]*keyId=\"k1\"", ring);
        Assert.DoesNotContain("masterKey", ring, StringComparison.Ordinal); // the XML that holds the key material in the clear
    }
}
