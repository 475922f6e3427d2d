using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;

namespace CalendarGrains.Tests.Faults;

/// <summary>
/// Connections when the list index or grain storage fail on command, in sandbox and Redis mode:
/// every acknowledged connection is readable and listed, and every stored status change reaches
/// the tenant exactly once (counted by <c>webhook-id</c>), however the faults fall.
/// </summary>
public sealed class ConnectionFaultTests(RedisServer redis)
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnImportWhoseIndexWriteFails_IsNotAcknowledged_ItsRetryIsListed_AndEachStoredChangeIsAnnouncedOnce(bool inRedis)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var faults = await FaultHost.StartAsync(redis, inRedis);
        using var kit = await ConnectionKit.CreateAsync(faults.Host, faults.Google, webhookUrl: receiver.Url());
        var id = NewId("index");
        faults.Index.FailNext(1, $"connections/{kit.Tenant.Id}");

        var first = await ImportAsync(kit, id);
        Assert.True(first.StatusCode >= HttpStatusCode.InternalServerError, $"a failed index write must not be acknowledged; got {(int)first.StatusCode}");
        Assert.Equal(1, faults.Index.Injected);

        // The caller retries, as it must after a 5xx. The first attempt was stored, so this is a
        // reconnect; before it was a no-op (Active -> Active) and the connection was never listed.
        var retry = await ImportAsync(kit, id);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);

        Assert.Contains(id, await ListedAsync(kit, ""));
        Assert.Contains(id, await ListedAsync(kit, "?status=active"));
        var connection = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections/{id}", _ct);
        Assert.Equal(["created", "reconnected"], Reasons(connection));
        var announced = await WebhookLedger.WaitForAsync(receiver, id, 2);
        Assert.Equal(["connection.created", "connection.reconnected"], Types(announced));

        // Their ids are fixed when the change is stored ({source}:{version}): a retry sends the same one.
        Assert.Equal(["1", "2"], announced.Select(a => a.WebhookId.Split(':')[^1]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task WhileTheOutboxCannotStoreEvents_ChangesAreAcknowledgedAndListed_AndEachWebhookArrivesOnceWhenItRecovers(bool inRedis)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var faults = await FaultHost.StartAsync(redis, inRedis);
        using var kit = await ConnectionKit.CreateAsync(faults.Host, faults.Google, webhookUrl: receiver.Url());
        var (kept, deleted) = (NewId("kept"), NewId("deleted"));
        faults.Outbox.FailAll("add ");

        Assert.Equal(HttpStatusCode.Created, (await ImportAsync(kit, kept)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(kit, kept)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await ImportAsync(kit, deleted)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await kit.Api.DeleteAsync($"/v1/connections/{deleted}", _ct)).StatusCode);

        Assert.Contains(kept, await ListedAsync(kit, "?status=active"));
        Assert.DoesNotContain(deleted, await ListedAsync(kit, ""));
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.GetAsync($"/v1/connections/{deleted}", _ct)).StatusCode);

        // The webhooks stay owed, and the grains keep handing them over (their reminder ticks each second).
        var refusedSoFar = faults.Outbox.Injected;
        await Eventually.HoldsAsync(() => Task.FromResult(faults.Outbox.Injected >= refusedSoFar + 4), TimeSpan.FromSeconds(30), "the owed webhooks are offered again");
        faults.Outbox.Heal();

        var keptAnnounced = await WebhookLedger.WaitForAsync(receiver, kept, 2);
        var deletedAnnounced = await WebhookLedger.WaitForAsync(receiver, deleted, 2);
        Assert.Equal(["connection.created", "connection.reconnected"], Types(keptAnnounced));
        Assert.Equal(["connection.created", "connection.deleted"], Types(deletedAnnounced));
        Assert.Equal("revoked", deletedAnnounced.Single(a => a.Type == "connection.deleted").Status);

        if (faults.ServiceId is { } serviceId)
        {
            // Once its webhook was taken, nothing of the deleted connection is left in Redis.
            await Eventually.HoldsAsync(
                async () => !(await redis.DumpAsync(serviceId)).Split('\n').Any(line => line.StartsWith(serviceId + "/state/", StringComparison.Ordinal) && line.Contains(deleted, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(10),
                "the tombstone is erased");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AnImportWhoseStateWriteFails_LeavesNothing_NotListedNotAnnounced_AndItsRetryCreatesIt(bool inRedis)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var faults = await FaultHost.StartAsync(redis, inRedis);
        using var kit = await ConnectionKit.CreateAsync(faults.Host, faults.Google, webhookUrl: receiver.Url());
        var id = NewId("state");
        faults.Storage.FailNext(1, $"connection/{CalendarGrains.Connections.ConnectionKeys.For(kit.Tenant.Id, id)}"); // imported ids are keyed by tenant

        var first = await ImportAsync(kit, id);
        Assert.True(first.StatusCode >= HttpStatusCode.InternalServerError, $"a failed write must not be acknowledged; got {(int)first.StatusCode}");
        Assert.Equal(1, faults.Storage.Injected);

        // What was never stored is not shown: the grain did not keep the change in memory.
        Assert.Equal(HttpStatusCode.NotFound, (await kit.Api.GetAsync($"/v1/connections/{id}", _ct)).StatusCode);
        Assert.DoesNotContain(id, await ListedAsync(kit, ""));

        Assert.Equal(HttpStatusCode.Created, (await ImportAsync(kit, id)).StatusCode);
        Assert.Contains(id, await ListedAsync(kit, "?status=active"));
        var announced = await WebhookLedger.WaitForAsync(receiver, id, 1);
        Assert.Equal(["connection.created"], Types(announced));
    }

    private static string NewId(string kind) => $"fault-{kind}-{Guid.NewGuid():N}"[..24];

    private async Task<HttpResponseMessage> ImportAsync(ConnectionKit kit, string id) =>
        await kit.Api.PostAsJsonAsync("/v1/connections?validate=false", new { id, endUserId = "user-" + id, refreshToken = "1//" + id }, _ct);

    private async Task<IReadOnlyList<string>> ListedAsync(ConnectionKit kit, string query)
    {
        var page = await kit.Api.GetFromJsonAsync<JsonElement>($"/v1/connections{query}", _ct);
        return [.. page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!)];
    }

    /// <summary>The outbox delivers a few at a time, so arrival order is not the order of the changes.</summary>
    private static IReadOnlyList<string> Types(IReadOnlyList<Announcement> announced) => [.. announced.Select(a => a.Type).Order(StringComparer.Ordinal)];

    private static IReadOnlyList<string> Reasons(JsonElement connection) =>
        [.. connection.GetProperty("statusHistory").EnumerateArray().Select(change => change.GetProperty("reason").GetString()!)];
}
