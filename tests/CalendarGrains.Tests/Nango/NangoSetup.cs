using System.Text.Json.Nodes;
using CalendarGrains.NangoImport;
using CalendarGrains.Sandbox.Nango;
using CalendarGrains.Tests.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// A tenant (through <see cref="ConnectionKit"/>) and, in the same sandbox host's Nango emulator, an
/// integration of its own holding real grants minted at the Google emulator for that tenant's client,
/// as Nango would hold them.
/// </summary>
public sealed class NangoSetup(ConnectionKit kit, NangoEmulator nango, string integration, string secretKey)
{
    public ConnectionKit Kit => kit;

    public NangoEmulator Nango => nango;

    public string Integration => integration;

    public string SecretKey => secretKey;

    public Uri NangoUrl => new(kit.Host.BaseUrl, "/sandbox/nango/");

    public static NangoSetup For(ConnectionKit kit)
    {
        var nango = kit.Host.Services.GetRequiredService<NangoEmulator>();
        var integration = "gcal-" + Guid.NewGuid().ToString("N")[..8];
        var secretKey = Guid.NewGuid().ToString();
        nango.AddIntegration(integration, "google-calendar");
        nango.AddSecretKey(secretKey);
        return new NangoSetup(kit, nango, integration, secretKey);
    }

    /// <summary>Mints <paramref name="count"/> grants (a few at a time) and stores them at Nango as <c>{prefix}-{i:D4}</c>.</summary>
    public async Task<IReadOnlyList<string>> SeedAsync(string prefix, int count)
    {
        using var gate = new SemaphoreSlim(16);
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i:D4}").ToList();
        await Task.WhenAll(ids.Select(async (id, i) =>
        {
            await gate.WaitAsync(TestContext.Current.CancellationToken);
            try
            {
                Seed(id, await kit.MintRefreshTokenAsync($"{id}@nango.example"), new JsonObject { ["n"] = i });
            }
            finally
            {
                gate.Release();
            }
        }));
        return ids;
    }

    public void Seed(string id, string refreshToken, JsonObject? metadata = null, string? endUserId = null) =>
        nango.AddConnection(new NangoConnectionSeed(
            id, integration, refreshToken, EndUser: new NangoSeedEndUser(endUserId ?? "eu-" + id, $"{id}@nango.example"), Metadata: metadata,
            Scope: "openid https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/calendar"));

    /// <summary>A connection whose refresh Nango gave up on: reading its credentials answers 424.</summary>
    public void SeedBroken(string id)
    {
        Seed(id, "1//revoked-long-ago");
        nango.BreakCredentials(id, integration);
    }

    public ImportOptions Options(bool dryRun = false, int pageSize = 100, bool validate = true) =>
        new(NangoUrl, secretKey, integration, kit.Host.BaseUrl, kit.Tenant.ApiKey, Concurrency: 8, PageSize: pageSize, Validate: validate, DryRun: dryRun);

    public static Task<ImportReport> RunImportAsync(HttpClient http, ImportOptions options) =>
        new Importer(new NangoSource(http, options.NangoUrl, options.NangoSecretKey), new CalendarGrainsTarget(http, options.TargetUrl, options.TargetApiKey), options)
            .RunAsync(onListed: null, onItem: null, TestContext.Current.CancellationToken);
}
