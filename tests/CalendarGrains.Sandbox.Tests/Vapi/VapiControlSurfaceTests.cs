using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary>The HTTP control surface (<c>/vapi/_emulator/...</c>) a person at the sandbox, or a test in another process, uses.</summary>
public sealed class VapiControlSurfaceTests : IClassFixture<VapiFixture>
{
    private readonly VapiFixture _vapi;

    public VapiControlSurfaceTests(VapiFixture vapi)
    {
        _vapi = vapi;
        vapi.StartTest();
    }

    private HttpClient Http => _vapi.Emulators.Http;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AConversationWithTheEmulator_OverHttpOnly()
    {
        await ExpectAsync(HttpStatusCode.NoContent, Http.PostAsync("/vapi/_emulator/reset", null, Cancellation));
        var account = await ReadAsync(await ExpectAsync(HttpStatusCode.Created, Http.PostAsJsonAsync(
            "/vapi/_emulator/accounts",
            new { apiKey = "http-key", concurrencyLimit = 5, serverUrl = _vapi.Receiver.UrlFor("/http-org").ToString(), serverSecret = "http-secret" },
            Cancellation)));
        await ExpectAsync(HttpStatusCode.OK, Http.PutAsJsonAsync("/vapi/_emulator/settings", new { lifecycle = "manual" }, Cancellation));
        await ExpectAsync(HttpStatusCode.OK, Http.PutAsJsonAsync(
            "/vapi/_emulator/outcomes", new { byNumber = new Dictionary<string, string> { ["+15550123"] = "busy" } }, Cancellation));
        await ExpectAsync(HttpStatusCode.NoContent, Http.PostAsJsonAsync("/vapi/_emulator/faults/fail-next", new { count = 1, statusCode = 503 }, Cancellation));

        using var failed = await _vapi.Client.CreateCallAsync("http-key", VapiClient.CallBody(number: "+15550123"));
        var created = await _vapi.Client.CreateCallOkAsync("http-key", VapiClient.CallBody(number: "+15550123"));
        var id = created.GetProperty("id").GetString()!;
        var calls = await ReadAsync(await ExpectAsync(HttpStatusCode.OK, Http.GetAsync("/vapi/_emulator/calls", Cancellation)));
        var ended = await ReadAsync(await ExpectAsync(HttpStatusCode.OK, Http.PostAsync($"/vapi/_emulator/calls/{id}/advance", null, Cancellation)));
        var stats = await ReadAsync(await ExpectAsync(HttpStatusCode.OK, Http.GetAsync("/vapi/_emulator/stats", Cancellation)));
        var webhooks = await ReadAsync(await ExpectAsync(HttpStatusCode.OK, Http.GetAsync("/vapi/_emulator/webhooks", Cancellation)));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(account.GetProperty("orgId").GetString(), created.GetProperty("orgId").GetString());
        var recorded = Assert.Single(calls.EnumerateArray());
        Assert.Equal("+15550123", recorded.GetProperty("request").GetProperty("customer").GetProperty("number").GetString());
        Assert.Equal("customer-busy", ended.GetProperty("endedReason").GetString());
        Assert.Equal(2, stats.GetProperty("counters").GetProperty("createCallAttempts").GetInt32());
        Assert.Equal(2, stats.GetProperty("counters").GetProperty("webhooksDelivered").GetInt32());
        Assert.Equal(2, webhooks.GetArrayLength());
        Assert.All(_vapi.Receiver.Received, message => Assert.Equal("http-secret", message.Secret));
        Assert.DoesNotContain("http-key", stats.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("http-secret", stats.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complete_OverHttp_TakesAnOutcomeName()
    {
        var id = (await _vapi.Client.CreateCallOkAsync(VapiFixture.Key)).GetProperty("id").GetString()!;

        var ended = await ReadAsync(await ExpectAsync(HttpStatusCode.OK, Http.PostAsJsonAsync(
            $"/vapi/_emulator/calls/{id}/complete", new { outcome = "voicemail" }, Cancellation)));

        Assert.Equal("voicemail", ended.GetProperty("endedReason").GetString());
    }

    [Fact]
    public async Task Settings_RoundTripInSeconds_AndRejectWhatTheyDoNotKnow()
    {
        var changed = await ReadAsync(await ExpectAsync(HttpStatusCode.OK, Http.PutAsJsonAsync(
            "/vapi/_emulator/settings", new { ringingSeconds = 0.5, duplicateWebhooks = true, defaultOutcome = "no-answer" }, Cancellation)));

        Assert.Equal(0.5, changed.GetProperty("ringingSeconds").GetDouble());
        Assert.Equal("manual", changed.GetProperty("lifecycle").GetString());
        Assert.Equal(TimeSpan.FromMilliseconds(500), _vapi.Vapi.Settings.RingingDuration);
        Assert.True(_vapi.Vapi.Settings.DuplicateWebhooks);
        Assert.Equal("no-answer", _vapi.Vapi.Settings.DefaultOutcome.Name);
        await ExpectAsync(HttpStatusCode.BadRequest, Http.PutAsJsonAsync("/vapi/_emulator/settings", new { lifecycle = "sometimes" }, Cancellation));
        await ExpectAsync(HttpStatusCode.BadRequest, Http.PutAsJsonAsync("/vapi/_emulator/settings", new { queuedSeconds = -1 }, Cancellation));
        await ExpectAsync(HttpStatusCode.BadRequest, Http.PutAsJsonAsync("/vapi/_emulator/outcomes", new { @default = "maybe" }, Cancellation));
    }

    [Fact]
    public async Task DropNext_OverHttp_AbortsTheNextCreateResponse()
    {
        await ExpectAsync(HttpStatusCode.NoContent, Http.PostAsJsonAsync("/vapi/_emulator/faults/drop-next", new { count = 1 }, Cancellation));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _vapi.Client.CreateCallAsync(VapiFixture.Key, VapiClient.CallBody()));

        Assert.Single(_vapi.Vapi.CreatedCalls());
    }

    [Fact]
    public async Task ControlRoutes_AnswerNotFoundForAnUnknownCall()
    {
        await ExpectAsync(HttpStatusCode.NotFound, Http.PostAsync("/vapi/_emulator/calls/nope/advance", null, Cancellation));
    }

    private static async Task<HttpResponseMessage> ExpectAsync(HttpStatusCode expected, Task<HttpResponseMessage> sending)
    {
        var response = await sending;
        Assert.True(expected == response.StatusCode, $"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Cancellation)}");
        return response;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return await VapiClient.ReadJsonAsync(response);
        }
    }
}
