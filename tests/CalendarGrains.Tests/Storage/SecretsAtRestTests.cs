using System.Net.Http.Json;
using CalendarGrains.Security;
using CalendarGrains.Tenants;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Tests.Storage;

/// <summary>With real Redis: what is stored and logged holds no secret in plaintext, and keys rotate.</summary>
public sealed class SecretsAtRestTests(RedisServer redis)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedisAndLogs_HoldNoSecretInPlaintext()
    {
        var settings = ServiceHost.InRedisMode(redis);
        await using var host = await ServiceHost.StartAsync(settings);
        var clientSecret = "gcs-plain-" + Guid.NewGuid().ToString("N");
        var vapiKey = "vapi-plain-" + Guid.NewGuid().ToString("N");
        var tenant = await TestTenants.CreateAsync(host, TestTenants.Definition(name: "Plaintext Probe Inc", clientSecret: clientSecret, vapiApiKey: vapiKey));
        var second = await (await host.Admin.PostAsync($"/v1/tenants/{tenant.Id}/api-keys", null, _ct)).Content.ReadFromJsonAsync<ApiKeyIssued>(_ct);
        using var tenantClient = host.Client(second!.ApiKey);
        (await tenantClient.GetAsync("/v1/tenants", _ct)).EnsureSuccessStatusCode();

        var dump = await redis.DumpAsync("");

        // The dump is the right one: the tenant's non-secret data is there, readable.
        Assert.Contains("Plaintext Probe Inc", dump, StringComparison.Ordinal);
        Assert.Contains(settings["Orleans:ServiceId"]!, dump, StringComparison.Ordinal);
        string[] secrets = [clientSecret, vapiKey, tenant.ApiKey, second.ApiKey, tenant.WebhookSecret, tenant.VapiServerSecret, ServiceHost.AdminKey];
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, dump, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, host.Logs.All, StringComparison.Ordinal);
        }

        Assert.NotEmpty(host.Logs.Lines);
    }

    [Fact]
    public async Task RotatingTheActiveKey_KeepsOldDataReadable_AndReseals()
    {
        var oldKey = ServiceHost.NewEncryptionKey();
        var settings = ServiceHost.InRedisMode(redis, encryptionKey: oldKey);
        var clientSecret = "gcs-rotate-" + Guid.NewGuid().ToString("N");
        string tenantId;
        await using (var before = await ServiceHost.StartAsync(settings))
        {
            tenantId = (await TestTenants.CreateAsync(before, TestTenants.Definition(clientSecret: clientSecret))).Id;
        }

        // Restart with a new active key; the old one stays configured to decrypt.
        settings["Encryption:ActiveKeyId"] = "k2";
        settings["Encryption:Keys:k2"] = ServiceHost.NewEncryptionKey();
        await using (var rotated = await ServiceHost.StartAsync(settings))
        {
            var secrets = await rotated.Grains.GetGrain<ITenantGrain>(tenantId).GetSecretsAsync();
            Assert.NotNull(secrets);
            Assert.Equal("k2", secrets.GoogleClientSecret.KeyId);
            Assert.Equal("k2", secrets.WebhookSecret.KeyId);
            var protector = rotated.Services.GetRequiredService<ISecretProtector>();
            Assert.Equal(clientSecret, protector.Unprotect(secrets.GoogleClientSecret, TenantSecretPurposes.GoogleClientSecret(tenantId)));
        }

        // The old key can now be removed: everything was re-sealed with the new one and persisted.
        settings.Remove("Encryption:Keys:k1");
        await using var withoutOldKey = await ServiceHost.StartAsync(settings);
        var resealed = await withoutOldKey.Grains.GetGrain<ITenantGrain>(tenantId).GetSecretsAsync();
        var newProtector = withoutOldKey.Services.GetRequiredService<ISecretProtector>();
        Assert.Equal(clientSecret, newProtector.Unprotect(resealed!.GoogleClientSecret, TenantSecretPurposes.GoogleClientSecret(tenantId)));
        (await withoutOldKey.Admin.GetAsync($"/v1/tenants/{tenantId}", _ct)).EnsureSuccessStatusCode();
    }
}
