using CalendarGrains.ApiKeys;
using CalendarGrains.Common;
using CalendarGrains.Indexing;
using CalendarGrains.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Tenants;

/// <inheritdoc cref="ITenantGrain"/>
public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.State)] IPersistentState<TenantState> state,
    ISecretProtector protector,
    IOrderedIndex index,
    IOptions<TenantOptions> options,
    [FromKeyedServices(ServiceTime.Key)] TimeProvider time) : Grain, ITenantGrain
{
    private string Id => this.GetPrimaryKeyString();

    private TenantState S => state.State;

    private bool Exists => S.Name is not null;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Note: secrets sealed with a retired key are re-sealed with the active one as soon as the
        // tenant is touched, so a rotated-out key can be removed once every tenant has been read.
        if (Exists && ResealOldSecrets())
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<TenantCreated> CreateAsync(TenantDefinition definition)
    {
        if (Exists)
        {
            throw new InvalidOperationException($"Tenant {Id} already exists.");
        }

        var now = time.GetUtcNow();
        var webhookSecret = SecretGenerator.WebhookSecret();
        var vapiServerSecret = SecretGenerator.VapiServerSecret();
        S.Name = definition.Name;
        S.GoogleClientId = definition.Google.ClientId;
        S.GoogleClientSecret = protector.Protect(definition.Google.ClientSecret, TenantSecretPurposes.GoogleClientSecret(Id));
        S.GoogleScopes = [.. definition.Google.Scopes];
        ApplyVapi(definition.Vapi);
        S.WebhookUrl = definition.WebhookUrl;
        S.AllowedReturnUrls = [.. definition.AllowedReturnUrls];
        ApplyNango(definition.Nango);
        S.WebhookSecret = protector.Protect(webhookSecret, TenantSecretPurposes.WebhookSecret(Id));
        S.VapiServerSecret = protector.Protect(vapiServerSecret, TenantSecretPurposes.VapiServerSecret(Id));
        S.CreatedAt = now;
        S.UpdatedAt = now;
        var (issued, stored) = NewApiKey(now);
        S.ApiKeys = [stored];
        await state.WriteStateAsync();
        await RegisterAsync(issued, stored);
        await index.AddAsync(TenantDefaults.IndexSet, Id);
        return new TenantCreated(View(), issued, webhookSecret, vapiServerSecret);
    }

    public Task<TenantView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    public async Task<TenantView?> UpdateAsync(TenantChanges changes)
    {
        if (!Exists)
        {
            return null;
        }

        S.Name = changes.Name ?? S.Name;
        if (changes.Google is { } google)
        {
            S.GoogleClientId = google.ClientId ?? S.GoogleClientId;
            if (google.ClientSecret is not null)
            {
                S.GoogleClientSecret = protector.Protect(google.ClientSecret, TenantSecretPurposes.GoogleClientSecret(Id));
            }

            S.GoogleScopes = google.Scopes is null ? S.GoogleScopes : [.. google.Scopes];
        }

        ApplyVapi(changes.Vapi);
        S.WebhookUrl = changes.WebhookUrl ?? S.WebhookUrl;
        S.AllowedReturnUrls = changes.AllowedReturnUrls is null ? S.AllowedReturnUrls : [.. changes.AllowedReturnUrls];
        ApplyNango(changes.Nango);
        S.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return View();
    }

    public async Task<ApiKeyAddition> AddApiKeyAsync()
    {
        var limit = options.Value.MaxApiKeys;
        if (!Exists)
        {
            return new ApiKeyAddition(ApiKeyAdditionOutcome.TenantNotFound, null, limit);
        }

        if (S.ApiKeys.Count >= limit)
        {
            // Note: a tenant that had more before the cap keeps them; it only cannot add another.
            return new ApiKeyAddition(ApiKeyAdditionOutcome.LimitReached, null, limit);
        }

        var now = time.GetUtcNow();
        var (issued, stored) = NewApiKey(now);
        S.ApiKeys.Add(stored);
        S.UpdatedAt = now;
        await state.WriteStateAsync();
        await RegisterAsync(issued, stored);
        return new ApiKeyAddition(ApiKeyAdditionOutcome.Added, issued, limit);
    }

    public async Task<bool> RevokeApiKeyAsync(string keyId)
    {
        var key = S.ApiKeys.Find(k => string.Equals(k.Id, keyId, StringComparison.Ordinal));
        if (key is null)
        {
            return false;
        }

        // Revoke first: once the key grain has forgotten the hash, no silo resolves it again,
        // even if the tenant write below has to be retried.
        await GrainFactory.GetGrain<IApiKeyGrain>(key.Hash).RevokeAsync();
        S.ApiKeys.Remove(key);
        S.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return true;
    }

    public Task<TenantSecrets?> GetSecretsAsync() => Task.FromResult(
        Exists
            ? new TenantSecrets(Id, S.GoogleClientId, S.GoogleClientSecret!, S.VapiApiKey, S.WebhookSecret!, S.VapiServerSecret!, S.NangoWebhookSigningKey)
            : null);

    private void ApplyVapi(VapiSettingsInput? vapi)
    {
        if (vapi is null)
        {
            return;
        }

        if (vapi.ApiKey is not null)
        {
            S.VapiApiKey = protector.Protect(vapi.ApiKey, TenantSecretPurposes.VapiApiKey(Id));
        }

        S.VapiConcurrencyLimit = vapi.ConcurrencyLimit ?? S.VapiConcurrencyLimit;
        S.VapiAssistantId = vapi.AssistantId ?? S.VapiAssistantId;
        S.VapiPhoneNumberId = vapi.PhoneNumberId ?? S.VapiPhoneNumberId;
    }

    private void ApplyNango(NangoSettingsInput? nango)
    {
        if (nango is null)
        {
            return;
        }

        if (nango.WebhookUrl is "")
        {
            // Off: nothing Nango-shaped is sent any more, and the key goes with the URL.
            (S.NangoWebhookUrl, S.NangoWebhookSigningKey, S.NangoEnvironment) = (null, null, null);
            return;
        }

        S.NangoWebhookUrl = nango.WebhookUrl ?? S.NangoWebhookUrl;
        S.NangoEnvironment = nango.Environment ?? S.NangoEnvironment;
        if (nango.WebhookSigningKey is not null)
        {
            S.NangoWebhookSigningKey = protector.Protect(nango.WebhookSigningKey, TenantSecretPurposes.NangoWebhookSigningKey(Id));
        }
    }

    private (ApiKeyIssued Issued, StoredApiKey Stored) NewApiKey(DateTimeOffset now)
    {
        var key = SecretGenerator.ApiKey();
        var id = Ids.NewApiKeyId(time);
        return (new ApiKeyIssued(id, key, now), new StoredApiKey(id, SecretHash.Of(key), key[..12], now));
    }

    private Task RegisterAsync(ApiKeyIssued issued, StoredApiKey stored) =>
        GrainFactory.GetGrain<IApiKeyGrain>(stored.Hash).RegisterAsync(new ApiKeyOwner(Id, issued.Id));

    private bool ResealOldSecrets()
    {
        var changed = false;
        S.GoogleClientSecret = Reseal(S.GoogleClientSecret, TenantSecretPurposes.GoogleClientSecret(Id), ref changed);
        S.VapiApiKey = Reseal(S.VapiApiKey, TenantSecretPurposes.VapiApiKey(Id), ref changed);
        S.WebhookSecret = Reseal(S.WebhookSecret, TenantSecretPurposes.WebhookSecret(Id), ref changed);
        S.VapiServerSecret = Reseal(S.VapiServerSecret, TenantSecretPurposes.VapiServerSecret(Id), ref changed);
        S.NangoWebhookSigningKey = Reseal(S.NangoWebhookSigningKey, TenantSecretPurposes.NangoWebhookSigningKey(Id), ref changed);
        return changed;
    }

    private EncryptedSecret? Reseal(EncryptedSecret? secret, string purpose, ref bool changed)
    {
        if (secret is null || !protector.NeedsResealing(secret))
        {
            return secret;
        }

        changed = true;
        return protector.Protect(protector.Unprotect(secret, purpose), purpose);
    }

    private TenantView View() => new(
        Id,
        S.Name!,
        new GoogleClientView(S.GoogleClientId, S.GoogleScopes, S.GoogleClientSecret is not null),
        new VapiSettingsView(S.VapiApiKey is not null, S.VapiConcurrencyLimit, S.VapiAssistantId, S.VapiPhoneNumberId),
        S.WebhookUrl,
        S.AllowedReturnUrls,
        [.. S.ApiKeys.Select(k => new ApiKeyView(k.Id, k.Prefix, k.CreatedAt))],
        S.CreatedAt,
        S.UpdatedAt,
        S.NangoWebhookUrl is null && S.NangoWebhookSigningKey is null
            ? null
            : new NangoSettingsView(S.NangoWebhookUrl, S.NangoWebhookSigningKey is not null, S.NangoEnvironment ?? TenantDefaults.NangoEnvironment));
}
