using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;

namespace CalendarGrains.Tests.Faults;

/// <summary>One webhook as the tenant counts it: deduplicated by its <c>webhook-id</c>.</summary>
public sealed record Announcement(string WebhookId, string Type, string ResourceId, string? Status);

/// <summary>What a tenant's endpoint was told about one resource, each event once (by <c>webhook-id</c>), in arrival order.</summary>
public static class WebhookLedger
{
    public static IReadOnlyList<Announcement> About(WebhookReceiver receiver, string resourceId) =>
        [.. receiver.Delivered.Select(Read).Where(a => a.ResourceId == resourceId).DistinctBy(a => a.WebhookId)];

    /// <summary>Waits until <paramref name="count"/> distinct webhooks about the resource arrived, then answers them.</summary>
    public static Task<IReadOnlyList<Announcement>> WaitForAsync(WebhookReceiver receiver, string resourceId, int count, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(
            () => Task.FromResult(About(receiver, resourceId)),
            announced => announced.Count >= count,
            timeout ?? TimeSpan.FromSeconds(30),
            $"{count} webhook(s) about {resourceId}");

    private static Announcement Read(ReceivedWebhook webhook)
    {
        using var body = JsonDocument.Parse(webhook.BodyText);
        var data = body.RootElement.GetProperty("data");
        return new Announcement(
            webhook.Id,
            body.RootElement.GetProperty("type").GetString()!,
            data.GetProperty("id").GetString()!,
            data.TryGetProperty("status", out var status) ? status.GetString() : null);
    }
}
