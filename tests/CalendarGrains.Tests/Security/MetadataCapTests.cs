using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Connections;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Nango;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.1: every path that writes metadata keeps what is stored within 16 KiB, merges included
/// (repeated Nango merges once grew one connection to 3.4 MB).
/// </summary>
public sealed class MetadataCapTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private const string Key = "google-calendar";
    private static readonly string TenKiB = new('x', 10 * 1024);
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task NangoUpdateMetadata_MergesThatWouldGrowPastTheCap_AreRefused_AndStoreNothing()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = "cap-merge-" + Guid.NewGuid().ToString("N")[..8];
        await NangoRoutesTests.ImportAsync(kit, id, id + "-user", "1//cap", validate: false);

        var first = await kit.Api.PatchAsJsonAsync("/connections/metadata", new { connection_id = id, provider_config_key = Key, metadata = new { a = TenKiB } }, _ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var second = await kit.Api.PatchAsJsonAsync("/connections/metadata", new { connection_id = id, provider_config_key = Key, metadata = new { b = TenKiB } }, _ct);

        var error = await NangoRoutesTests.AssertErrorAsync(second, HttpStatusCode.BadRequest, "invalid_body");
        Assert.Contains("16 KiB", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        var stored = await MetadataAsync(kit, id);
        Assert.True(stored.TryGetProperty("a", out _));
        Assert.False(stored.TryGetProperty("b", out _));
    }

    [Fact]
    public async Task NangoSetMetadata_OverTheCap_IsRefused()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = "cap-set-" + Guid.NewGuid().ToString("N")[..8];
        await NangoRoutesTests.ImportAsync(kit, id, id + "-user", "1//cap", new { before = true }, validate: false);

        var set = await kit.Api.PostAsJsonAsync("/connections/metadata", new { connection_id = id, provider_config_key = Key, metadata = new { a = TenKiB, b = TenKiB } }, _ct);

        await NangoRoutesTests.AssertErrorAsync(set, HttpStatusCode.BadRequest, "invalid_body");
        Assert.True((await MetadataAsync(kit, id)).GetProperty("before").GetBoolean());
    }

    [Fact]
    public async Task ConnectionGrain_CapsTheMergedResult_WhateverRouteAsked()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var id = "cap-grain-" + Guid.NewGuid().ToString("N")[..8];
        await NangoRoutesTests.ImportAsync(kit, id, id + "-user", "1//cap", validate: false);
        var grain = fixture.Host.Grains.Connection(kit.Tenant.Id, id);

        var first = await grain.UpdateMetadataAsync(kit.Tenant.Id, JsonSerializer.Serialize(new { a = TenKiB }), merge: true, TestContext.Current.CancellationToken);
        var second = await grain.UpdateMetadataAsync(kit.Tenant.Id, JsonSerializer.Serialize(new { b = TenKiB }), merge: true, TestContext.Current.CancellationToken);
        var replace = await grain.UpdateMetadataAsync(kit.Tenant.Id, JsonSerializer.Serialize(new { a = TenKiB, b = TenKiB }), merge: false, TestContext.Current.CancellationToken);

        Assert.Equal(MetadataWriteResult.Updated, first.Result);
        Assert.Equal(MetadataWriteResult.TooLarge, second.Result);
        Assert.Equal(MetadataWriteResult.TooLarge, replace.Result);
        var view = await grain.GetAsync(kit.Tenant.Id);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(view!.MetadataJson!) <= ConnectionMetadata.MaxBytes);
    }

    private async Task<JsonElement> MetadataAsync(ConnectionKit kit, string id) =>
        (await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct)).GetProperty("metadata");
}
