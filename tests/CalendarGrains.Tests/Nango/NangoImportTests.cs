using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.NangoImport;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Nango;

/// <summary>The importer against the Nango emulator and the real service, over HTTP on both sides.</summary>
public sealed class NangoImportTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 32 });

    [Fact]
    public async Task AThousandConnections_KeepTheirIds_ASecondRunImportsNothing_AndTheBrokenOneIsReported()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var nango = NangoSetup.For(kit);
        var ids = await nango.SeedAsync("bulk", 1000);
        nango.SeedBroken("bulk-broken");
        var refreshes = kit.Google.GetStats().RefreshGrants;

        var clock = Stopwatch.StartNew();
        var first = await NangoSetup.RunImportAsync(_http, nango.Options(pageSize: 100));
        var firstRun = clock.Elapsed;

        Assert.Equal(1001, first.Listed);
        Assert.Equal(1000, first.Count(ItemOutcome.Created));
        var broken = Assert.Single(first.Failures);
        Assert.Equal("bulk-broken", broken.ConnectionId);
        Assert.Contains("424", broken.Reason, StringComparison.Ordinal);
        Assert.Contains("invalid_credentials", broken.Reason, StringComparison.Ordinal);
        Assert.Equal(refreshes + 1000, kit.Google.GetStats().RefreshGrants); // each validated by one refresh
        Assert.Equal(ids.Order(StringComparer.Ordinal), await OurIdsAsync(kit));
        var imported = await kit.Api.GetFromJsonAsync<JsonElement>("/v1/connections/bulk-0042", _ct);
        Assert.Equal("eu-bulk-0042", imported.GetProperty("endUserId").GetString());
        Assert.Equal(42, imported.GetProperty("metadata").GetProperty("n").GetInt32());
        var token = await kit.TokenOkAsync("bulk-0042");
        Assert.Equal("bulk-0042@nango.example", kit.Google.ValidateAccessToken(token.AccessToken));
        Assert.True(firstRun < TimeSpan.FromSeconds(30), $"the first run took {firstRun}");

        var reads = nango.Nango.GetStats().GetRequests;
        var second = await NangoSetup.RunImportAsync(_http, nango.Options(pageSize: 100));

        Assert.Equal(0, second.Count(ItemOutcome.Created));
        Assert.Equal(1000, second.Count(ItemOutcome.Unchanged));
        Assert.Equal("bulk-broken", Assert.Single(second.Failures).ConnectionId);
        Assert.Equal(reads + 1, nango.Nango.GetStats().GetRequests); // only the broken one's credentials were asked for again
        Assert.Equal(refreshes + 1000, kit.Google.GetStats().RefreshGrants);
    }

    [Fact]
    public async Task ADryRun_ChangesNothing_AndSaysWhatWouldHappen()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var nango = NangoSetup.For(kit);
        await nango.SeedAsync("dry", 3);
        nango.SeedBroken("dry-broken");
        var refreshes = kit.Google.GetStats().RefreshGrants;

        var report = await NangoSetup.RunImportAsync(_http, nango.Options(dryRun: true));

        Assert.True(report.DryRun);
        Assert.Equal(3, report.Count(ItemOutcome.Created));
        Assert.Equal("dry-broken", Assert.Single(report.Failures).ConnectionId);
        Assert.Empty(await OurIdsAsync(kit));
        Assert.Equal(refreshes, kit.Google.GetStats().RefreshGrants);
        Assert.Equal(4, nango.Nango.Connections().Count(c => c.ProviderConfigKey == nango.Integration));
    }

    [Fact]
    public async Task ARerun_BringsMetadataInLine_AndGivesAConnectionThatNeedsReauth_NangosNewGrant()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var nango = NangoSetup.For(kit);
        var ids = await nango.SeedAsync("rerun", 3);
        Assert.Equal(3, (await NangoSetup.RunImportAsync(_http, nango.Options())).Count(ItemOutcome.Created));
        // At Nango, meanwhile: metadata changed on one; another user revoked and connected again.
        nango.Seed(ids[0], await kit.MintRefreshTokenAsync($"{ids[0]}@nango.example"), new JsonObject { ["n"] = 0, ["plan"] = "pro" });
        kit.Google.RevokeUser($"{ids[1]}@nango.example");
        Assert.Equal(HttpStatusCode.Conflict, (await kit.TokenAsync(ids[1], forceRefresh: true)).StatusCode);
        nango.Seed(ids[1], await kit.MintRefreshTokenAsync($"{ids[1]}@nango.example"), new JsonObject { ["n"] = 1 });

        var report = await NangoSetup.RunImportAsync(_http, nango.Options());

        Assert.Equal([ItemOutcome.MetadataUpdated, ItemOutcome.Reconnected, ItemOutcome.Unchanged], report.Items.Select(i => i.Outcome));
        Assert.Equal("pro", (await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{ids[0]}", _ct)).GetProperty("metadata").GetProperty("plan").GetString());
        Assert.NotNull(kit.Google.ValidateAccessToken((await kit.TokenOkAsync(ids[1])).AccessToken));
    }

    /// <summary>Ids are per tenant (issue 17.2): another tenant's connection of the same id is no conflict, and stays untouched.</summary>
    [Fact]
    public async Task AnIdAnotherTenantHolds_IsImportedAsThisTenantsOwn_AndTheirsStaysAsItWas()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        using var other = await ConnectionKit.CreateAsync(fixture.Host);
        var prefix = "taken-" + Guid.NewGuid().ToString("N")[..6];
        await NangoRoutesTests.ImportAsync(other, $"{prefix}-0000", "someone", "1//theirs", validate: false);
        var nango = NangoSetup.For(kit);
        await nango.SeedAsync(prefix, 2);

        var report = await NangoSetup.RunImportAsync(_http, nango.Options());

        Assert.Equal(2, report.Count(ItemOutcome.Created));
        Assert.Empty(report.Failures);
        Assert.NotEqual("someone", (await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{prefix}-0000", _ct)).GetProperty("endUserId").GetString());
        Assert.Equal("someone", (await other.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{prefix}-0000", _ct)).GetProperty("endUserId").GetString());
    }

    [Fact]
    public async Task TheCommandLine_PrintsPlainCountsAndFailures_NeverAToken_AndExitsNonZeroOnAFailure()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var nango = NangoSetup.For(kit);
        var refreshToken = await kit.MintRefreshTokenAsync("cli-0@nango.example");
        nango.Seed("cli-0", refreshToken);
        nango.SeedBroken("cli-broken");
        var report = Path.Combine(Path.GetTempPath(), $"nango-import-{Guid.NewGuid():N}.json");
        var environment = new Dictionary<string, string?> { ["NANGO_SECRET_KEY"] = nango.SecretKey, ["CALENDARGRAINS_API_KEY"] = kit.Tenant.ApiKey };
        using var output = new StringWriter();

        var exit = await ImportCommand.RunAsync(
            ["--nango-url", nango.NangoUrl.AbsoluteUri, "--integration", nango.Integration, "--target-url", kit.Host.BaseUrl.AbsoluteUri, "--report", report],
            name => environment.GetValueOrDefault(name), output, terminal: null, _http, _ct);

        Assert.Equal(ImportCommand.SomeFailed, exit);
        var text = output.ToString();
        Assert.Contains("Nango lists 2 connections", text, StringComparison.Ordinal);
        Assert.Contains("progress 2/2: created 1", text, StringComparison.Ordinal);
        Assert.Contains("FAILED cli-broken: Nango answered 424: invalid_credentials", text, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(nango.SecretKey, text, StringComparison.Ordinal);
        var written = JsonDocument.Parse(await File.ReadAllTextAsync(report, _ct)).RootElement;
        Assert.Equal(1, written.GetProperty("counts").GetProperty("Created").GetInt32());
        File.Delete(report);

        using var help = new StringWriter();
        Assert.Equal(ImportCommand.Ok, await ImportCommand.RunAsync(["--help"], _ => null, help, null, _http, _ct));
        using var missing = new StringWriter();
        Assert.Equal(ImportCommand.Unusable, await ImportCommand.RunAsync([], _ => null, missing, null, _http, _ct));
        Assert.Contains("Missing --nango-url, --nango-secret-key, --target-url, --target-api-key", missing.ToString(), StringComparison.Ordinal);
        using var wrongKey = new StringWriter();
        Assert.Equal(ImportCommand.Unusable, await ImportCommand.RunAsync(
            ["--nango-url", nango.NangoUrl.AbsoluteUri, "--nango-secret-key", "wrong", "--target-url", kit.Host.BaseUrl.AbsoluteUri, "--target-api-key", kit.Tenant.ApiKey],
            _ => null, wrongKey, null, _http, _ct));
        Assert.Contains("unknown_account", wrongKey.ToString(), StringComparison.Ordinal);
        using var wrongTarget = new StringWriter();
        Assert.Equal(ImportCommand.Unusable, await ImportCommand.RunAsync(
            ["--nango-url", nango.NangoUrl.AbsoluteUri, "--nango-secret-key", nango.SecretKey, "--target-url", kit.Host.BaseUrl.AbsoluteUri, "--target-api-key", "cgk_not-a-key-0123456789"],
            _ => null, wrongTarget, null, _http, _ct));
        Assert.Contains("Cannot use CalendarGrains", wrongTarget.ToString(), StringComparison.Ordinal);
    }

    private async Task<List<string>> OurIdsAsync(ConnectionKit kit)
    {
        var ids = new List<string>();
        string? cursor = null;
        do
        {
            var page = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections?limit=200{(cursor is null ? "" : "&cursor=" + cursor)}", _ct);
            ids.AddRange(page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);
        return ids;
    }
}
