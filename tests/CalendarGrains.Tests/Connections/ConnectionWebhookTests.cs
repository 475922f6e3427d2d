using System.Text.Json;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;

namespace CalendarGrains.Tests.Connections;

public sealed class ConnectionWebhookTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    [Fact]
    public async Task ConnectReconnectDelete_EachTellTheTenant_WithTheConnectionAndNoToken()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var kit = await ConnectionKit.CreateAsync(fixture.Host, webhookUrl: receiver.Url());
        var id = await kit.ConnectAsync("hooked", "hooked@example.com");
        await kit.ConnectAsync("hooked", "hooked@example.com");
        var token = await kit.TokenOkAsync(id);
        await kit.Api.DeleteAsync($"/v1/connections/{id}", TestContext.Current.CancellationToken);

        var hooks = await Eventually.HoldsAsync(
            () => Task.FromResult(receiver.Delivered.ToList()),
            delivered => delivered.Count >= 3,
            because: "three connection events arrive");

        var events = hooks.Select(h => JsonDocument.Parse(h.BodyText).RootElement).ToList();
        Assert.Equal(
            new[] { "connection.created", "connection.deleted", "connection.reconnected" },
            events.Select(e => e.GetProperty("type").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(events, e => Assert.Equal(id, e.GetProperty("data").GetProperty("id").GetString()));
        Assert.Equal("revoked", events.Single(e => e.GetProperty("type").GetString() == "connection.deleted").GetProperty("data").GetProperty("status").GetString());
        Assert.All(hooks, h =>
        {
            Assert.True(IndependentWebhookVerifier.Verifies(kit.Tenant.WebhookSecret, h.Id, h.Headers["webhook-timestamp"], h.Headers["webhook-signature"], h.BodyText));
            Assert.DoesNotContain(token.AccessToken, h.BodyText, StringComparison.Ordinal);
        });
    }
}
