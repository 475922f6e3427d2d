using System.Text.Json;
using CalendarGrains.Calls;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;

namespace CalendarGrains.Tests.Calls;

public sealed class CallWebhookTests(CallsHostFixture fixture) : IClassFixture<CallsHostFixture>
{
    [Fact]
    public async Task ACallThatEnds_TellsTheTenantEachChange_AndEndedOnce_Signed()
    {
        fixture.Vapi.Use(EmulatorSettings.Fast);
        await using var receiver = await WebhookReceiver.StartAsync();
        using var scenario = await CallScenario.StartAsync(fixture.Host, fixture.Vapi, webhookUrl: receiver.Url());
        var call = await scenario.PlaceAcceptedAsync();
        await scenario.WaitForStatusAsync(call.Id, CallStatus.Ended);

        var hooks = await Eventually.HoldsAsync(
            () => Task.FromResult(receiver.Delivered.Select(h => (Hook: h, Body: JsonDocument.Parse(h.BodyText).RootElement)).ToList()),
            list => list.Any(e => e.Body.GetProperty("type").GetString() == "call.ended"),
            because: "call.ended arrives");

        var forThisCall = hooks.Where(e => e.Body.GetProperty("data").GetProperty("id").GetString() == call.Id).ToList();
        Assert.Single(forThisCall, e => e.Body.GetProperty("type").GetString() == "call.ended");
        var changes = forThisCall.Where(e => e.Body.GetProperty("type").GetString() == "call.status_changed")
            .Select(e => e.Body.GetProperty("data").GetProperty("status").GetString()).ToList();
        Assert.Contains("dispatching", changes);
        Assert.Contains("ended", changes);
        Assert.Equal("ended", forThisCall.Single(e => e.Body.GetProperty("type").GetString() == "call.ended").Body.GetProperty("data").GetProperty("status").GetString());
        Assert.All(forThisCall, e => Assert.True(IndependentWebhookVerifier.Verifies(
            scenario.Tenant.WebhookSecret, e.Hook.Id, e.Hook.Headers["webhook-timestamp"], e.Hook.Headers["webhook-signature"], e.Hook.BodyText)));
        Assert.All(forThisCall, e => Assert.DoesNotContain(scenario.VapiApiKey, e.Hook.BodyText, StringComparison.Ordinal));
    }
}
