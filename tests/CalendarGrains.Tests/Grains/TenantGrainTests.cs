using CalendarGrains.ApiKeys;
using CalendarGrains.Common;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Grains;

public sealed class TenantGrainTests(GrainClusterFixture fixture) : IClassFixture<GrainClusterFixture>
{
    private static TenantDefinition Definition() => new(
        "Grain Tenant",
        new GoogleClientInput("client", "client-secret", ["https://www.googleapis.com/auth/calendar"]),
        new VapiSettingsInput("vapi-key", 5, "asst_1", null),
        "https://t.example/hook",
        ["https://t.example/back"]);

    [Fact]
    public async Task Create_RegistersItsKey_AndRevokingItForgetsTheHash()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(Ids.NewTenantId(fixture.Time));

        var created = await tenant.CreateAsync(Definition());
        var keyGrain = fixture.Grains.GetGrain<IApiKeyGrain>(SecretHash.Of(created.ApiKey.ApiKey));

        Assert.Equal(new ApiKeyOwner(created.Tenant.Id, created.ApiKey.Id), await keyGrain.ResolveAsync());
        Assert.True(await tenant.RevokeApiKeyAsync(created.ApiKey.Id));
        Assert.Null(await keyGrain.ResolveAsync());
        Assert.False(await tenant.RevokeApiKeyAsync(created.ApiKey.Id));
    }

    [Fact]
    public async Task Create_Twice_IsRefused_AndTheFirstStays()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(Ids.NewTenantId(fixture.Time));
        await tenant.CreateAsync(Definition());

        await Assert.ThrowsAsync<InvalidOperationException>(() => tenant.CreateAsync(Definition() with { Name = "Impostor" }));

        Assert.Equal("Grain Tenant", (await tenant.GetAsync())!.Name);
    }

    [Fact]
    public async Task Update_OfATenantThatDoesNotExist_ChangesNothing()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(Ids.NewTenantId(fixture.Time));

        Assert.Null(await tenant.UpdateAsync(new TenantChanges("x", null, null, null, null)));
        Assert.Null(await tenant.GetAsync());
        Assert.Equal(ApiKeyAdditionOutcome.TenantNotFound, (await tenant.AddApiKeyAsync()).Outcome);
    }

    [Fact]
    public async Task Secrets_CrossTheGrainBoundarySealed()
    {
        var tenant = fixture.Grains.GetGrain<ITenantGrain>(Ids.NewTenantId(fixture.Time));
        await tenant.CreateAsync(Definition());

        var secrets = await tenant.GetSecretsAsync();

        Assert.NotNull(secrets!.VapiApiKey);
        Assert.DoesNotContain("client-secret", System.Text.Encoding.Latin1.GetString(secrets.GoogleClientSecret.Payload), StringComparison.Ordinal);
        Assert.Equal("k", secrets.GoogleClientSecret.KeyId);
    }
}
