using System.Text.Json.Nodes;

namespace CalendarGrains.Sandbox.Nango;

/// <summary>
/// Nango's connection store, emulated: secret keys, integrations (provider config keys) and
/// connections with their OAuth 2.0 credentials, served in Nango's shapes by <see cref="NangoEmulatorApi"/>.
/// Thread-safe; one per host (a singleton). Enough of Nango to move off it: list (with
/// pagination), read with credentials, metadata, delete, import, and a connection whose
/// credentials are broken (its refresh failed for good).
/// </summary>
public sealed class NangoEmulator(TimeProvider time)
{
    /// <summary>The integration every emulator starts with: Nango's Google Calendar provider.</summary>
    public const string GoogleCalendar = "google-calendar";

    private readonly Lock _gate = new();
    private readonly HashSet<string> _secretKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _integrations = new(StringComparer.Ordinal) { [GoogleCalendar] = GoogleCalendar };
    private readonly Dictionary<(string Key, string Id), StoredConnection> _connections = [];
    private long _nextId;
    private long _lists;
    private long _gets;
    private long _deletes;
    private long _metadataWrites;
    private long _imports;
    private long _unauthorized;

    internal TimeProvider Time => time;

    /// <summary>Accepts <paramref name="secretKey"/> as <c>Authorization: Bearer</c> (an environment's secret key).</summary>
    public void AddSecretKey(string secretKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        lock (_gate)
        {
            _secretKeys.Add(secretKey);
        }
    }

    /// <summary>Registers an integration (Nango's provider config key, or "unique key") of a provider.</summary>
    public void AddIntegration(string providerConfigKey, string provider)
    {
        ArgumentException.ThrowIfNullOrEmpty(providerConfigKey);
        ArgumentException.ThrowIfNullOrEmpty(provider);
        lock (_gate)
        {
            _integrations[providerConfigKey] = provider;
        }
    }

    /// <summary>Stores a connection (again: replaces its credentials, as Nango's import does). Answers Nango's numeric id.</summary>
    public long AddConnection(NangoConnectionSeed seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentException.ThrowIfNullOrEmpty(seed.ConnectionId);
        ArgumentException.ThrowIfNullOrEmpty(seed.RefreshToken);
        lock (_gate)
        {
            if (!_integrations.TryGetValue(seed.ProviderConfigKey, out var provider))
            {
                throw new KeyNotFoundException($"No integration '{seed.ProviderConfigKey}': add it first.");
            }

            var now = time.GetUtcNow();
            if (!_connections.TryGetValue((seed.ProviderConfigKey, seed.ConnectionId), out var stored))
            {
                stored = new StoredConnection
                {
                    Id = ++_nextId,
                    ConnectionId = seed.ConnectionId,
                    ProviderConfigKey = seed.ProviderConfigKey,
                    Provider = provider,
                    RefreshToken = seed.RefreshToken,
                    AccessToken = "",
                    ExpiresAt = now,
                    CreatedAt = now,
                };
                _connections[(seed.ProviderConfigKey, seed.ConnectionId)] = stored;
            }

            stored.RefreshToken = seed.RefreshToken;
            stored.AccessToken = seed.AccessToken ?? "ya29.nango-emulator-" + Guid.NewGuid().ToString("N");
            stored.ExpiresAt = seed.ExpiresAt ?? now.AddHours(1);
            stored.Scope = seed.Scope ?? stored.Scope;
            stored.EndUser = seed.EndUser ?? stored.EndUser;
            stored.Metadata = seed.Metadata?.DeepClone().AsObject() ?? stored.Metadata;
            stored.Broken = false;
            stored.UpdatedAt = now;
            return stored.Id;
        }
    }

    /// <summary>
    /// The connection's refresh failed for good (the user revoked access; Nango gave up): reading it
    /// with credentials answers Nango's <c>424 invalid_credentials</c>, and it lists an auth error.
    /// </summary>
    public void BreakCredentials(string connectionId, string providerConfigKey = GoogleCalendar)
    {
        lock (_gate)
        {
            Get(providerConfigKey, connectionId).Broken = true;
        }
    }

    public NangoConnectionInfo? Find(string connectionId, string providerConfigKey = GoogleCalendar)
    {
        lock (_gate)
        {
            return _connections.GetValueOrDefault((providerConfigKey, connectionId))?.Snapshot();
        }
    }

    /// <summary>Every connection, newest first (Nango's list order).</summary>
    public IReadOnlyList<NangoConnectionInfo> Connections()
    {
        lock (_gate)
        {
            return [.. Ordered(_connections.Values).Select(c => c.Snapshot())];
        }
    }

    public NangoEmulatorStats GetStats()
    {
        lock (_gate)
        {
            return new NangoEmulatorStats(
                _connections.Count, _connections.Values.Count(c => c.Broken), _lists, _gets, _deletes, _metadataWrites, _imports, _unauthorized);
        }
    }

    /// <summary>Forgets connections and counters; secret keys and integrations are configuration and stay.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _connections.Clear();
            _lists = _gets = _deletes = _metadataWrites = _imports = _unauthorized = 0;
        }
    }

    internal bool IsSecretKey(string key)
    {
        lock (_gate)
        {
            return _secretKeys.Contains(key);
        }
    }

    internal void CountUnauthorized() => Interlocked.Increment(ref _unauthorized);

    internal bool HasIntegration(string providerConfigKey)
    {
        lock (_gate)
        {
            return _integrations.ContainsKey(providerConfigKey);
        }
    }

    internal IReadOnlyList<StoredView> List(NangoListFilter filter)
    {
        lock (_gate)
        {
            _lists++;
            return [.. Ordered(_connections.Values.Where(filter.Matches)).Skip(filter.Page * filter.Limit).Take(filter.Limit).Select(View)];
        }
    }

    /// <summary>Reads a connection with its credentials, writing <c>last_fetched_at</c> as Nango does on every read.</summary>
    internal StoredView? Read(string providerConfigKey, string connectionId)
    {
        lock (_gate)
        {
            _gets++;
            if (!_connections.TryGetValue((providerConfigKey, connectionId), out var stored))
            {
                return null;
            }

            stored.LastFetchedAt = time.GetUtcNow();
            return View(stored);
        }
    }

    internal bool Delete(string providerConfigKey, string connectionId)
    {
        lock (_gate)
        {
            _deletes++;
            return _connections.Remove((providerConfigKey, connectionId));
        }
    }

    /// <summary>All or nothing: answers the first unknown connection id, or null when all were written.</summary>
    internal string? WriteMetadata(string providerConfigKey, IReadOnlyList<string> connectionIds, JsonObject metadata, bool merge)
    {
        lock (_gate)
        {
            var unknown = connectionIds.FirstOrDefault(id => !_connections.ContainsKey((providerConfigKey, id)));
            if (unknown is not null)
            {
                return unknown;
            }

            foreach (var id in connectionIds)
            {
                var stored = _connections[(providerConfigKey, id)];
                var next = merge && stored.Metadata is not null ? stored.Metadata.DeepClone().AsObject() : [];
                foreach (var (name, value) in metadata)
                {
                    next[name] = value?.DeepClone();
                }

                stored.Metadata = next;
                stored.UpdatedAt = time.GetUtcNow();
                _metadataWrites++;
            }

            return null;
        }
    }

    internal StoredView Import(NangoConnectionSeed seed)
    {
        AddConnection(seed);
        lock (_gate)
        {
            _imports++;
            return View(_connections[(seed.ProviderConfigKey, seed.ConnectionId)]);
        }
    }

    private StoredConnection Get(string providerConfigKey, string connectionId) =>
        _connections.GetValueOrDefault((providerConfigKey, connectionId))
        ?? throw new KeyNotFoundException($"No connection '{connectionId}' of integration '{providerConfigKey}'.");

    private static IEnumerable<StoredConnection> Ordered(IEnumerable<StoredConnection> connections) =>
        connections.OrderByDescending(c => c.CreatedAt).ThenByDescending(c => c.Id);

    private static StoredView View(StoredConnection c) => new(
        c.Id, c.ConnectionId, c.ProviderConfigKey, c.Provider, c.EndUser, c.Metadata?.DeepClone().AsObject(), c.Broken,
        c.CreatedAt, c.UpdatedAt, c.LastFetchedAt, new StoredCredentials(c.AccessToken, c.RefreshToken, c.ExpiresAt, c.Scope));
}

/// <summary>A copy of a stored connection taken under the lock, for rendering.</summary>
internal sealed record StoredView(
    long Id,
    string ConnectionId,
    string ProviderConfigKey,
    string Provider,
    NangoSeedEndUser? EndUser,
    JsonObject? Metadata,
    bool Broken,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastFetchedAt,
    StoredCredentials Credentials);

internal sealed record StoredCredentials(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, string Scope)
{
    public override string ToString() => "StoredCredentials(redacted)";
}

/// <summary>The filters of <c>GET /connections</c>.</summary>
internal sealed record NangoListFilter(string? ConnectionId, string? EndUserId, IReadOnlyList<string>? IntegrationIds, string? Search, int Limit, int Page)
{
    public bool Matches(StoredConnection c) =>
        (ConnectionId is null || c.ConnectionId == ConnectionId)
        && (EndUserId is null || c.EndUser?.Id == EndUserId)
        && (IntegrationIds is null || IntegrationIds.Contains(c.ProviderConfigKey))
        && (Search is null
            || c.ConnectionId.Contains(Search, StringComparison.OrdinalIgnoreCase)
            || (c.EndUser?.Email?.Contains(Search, StringComparison.OrdinalIgnoreCase) ?? false)
            || (c.EndUser?.DisplayName?.Contains(Search, StringComparison.OrdinalIgnoreCase) ?? false));
}
