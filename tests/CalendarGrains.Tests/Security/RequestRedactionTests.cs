using System.Diagnostics;
using System.Net;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace CalendarGrains.Tests.Security;

/// <summary>
/// Issue 17.7: a live connect link, the OAuth state and Google's code never reach a log line or a
/// span, even with every category at Debug (no appsettings.json to quiet the framework).
/// </summary>
public sealed class RequestRedactionTests
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectFlow_SessionIdStateAndCode_AreInNoLogAndNoSpan()
    {
        var spans = new LockedCollection<Activity>();
        await using var host = await ServiceHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Telemetry:Tracing"] = "true",
                ["Logging:LogLevel:Default"] = "Debug",
                ["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug",
                ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Debug",
            },
            builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        using var kit = await ConnectionKit.CreateAsync(host);

        var connectUrl = await kit.StartSessionAsync("redacted-user");
        var sessionId = connectUrl.Segments[^1];
        var consent = await kit.FollowToGoogleAsync(connectUrl);
        var callback = await kit.ApproveAsync(consent, "redacted@example.com");
        var query = QueryHelpers.ParseQuery(callback.Query);
        var (state, code) = (query["state"].ToString(), query["code"].ToString());
        var back = await kit.CallbackAsync(callback);
        using var replay = await kit.CallbackAsync(callback); // rejected: logged by the session grain
        using var details = await kit.Api.GetAsync($"/v1/connect-sessions/{sessionId}", _ct);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.StartsWith("cs_", sessionId, StringComparison.Ordinal);
        Assert.NotEmpty(code);
        await Eventually.HoldsAsync(
            () => Task.FromResult(spans.Snapshot().Any(s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string)?.StartsWith("/v1/oauth/callback", StringComparison.Ordinal) == true)),
            because: "the callback's server span is exported");
        Assert.Contains(host.Logs.Lines, line => line.Contains("ConnectCallbackRejected", StringComparison.Ordinal) || line.Contains("callback with an unknown", StringComparison.Ordinal));
        var logs = host.Logs.All;
        var traces = string.Join('\n', spans.Snapshot().SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)));
        foreach (var (what, secret) in new[] { ("session id", sessionId), ("state", state), ("code", code) })
        {
            Assert.False(logs.Contains(secret, StringComparison.Ordinal), $"log lines hold the {what}:\n{string.Join('\n', host.Logs.Lines.Where(line => line.Contains(secret, StringComparison.Ordinal)).Select(line => line.Length > 300 ? line[..300] : line))}");
            Assert.False(traces.Contains(secret, StringComparison.Ordinal), $"spans hold the {what}:\n{string.Join('\n', traces.Split('\n').Where(line => line.Contains(secret, StringComparison.Ordinal)).Distinct())}");
        }

        Assert.Contains("/v1/connect/[redacted]", traces, StringComparison.Ordinal);
    }

    /// <summary>
    /// Outgoing calls (Google's token exchange, the proxy, Vapi) are logged by HttpClientFactory's
    /// handler; .NET replaces their query with <c>*</c> unless DOTNET_SYSTEM_NET_HTTP_DISABLEURIREDACTION
    /// is set (this test fails with it set), so every named client we register is checked once.
    /// </summary>
    [Fact]
    public async Task OutgoingRequests_QueryValues_AreInNoLog()
    {
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Debug",
            ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Debug",
        });
        var factory = host.Services.GetRequiredService<IHttpClientFactory>();
        const string Secret = "query-secret-0123456789";
        var names = new[]
        {
            "", CalendarGrains.Vapi.VapiHttpClientNames.Read, CalendarGrains.Google.Calendar.GoogleCalendarClient.ReadClientName,
            CalendarGrains.Silo.Nango.NangoProxyRetry.HttpClientName, CalendarGrains.Google.GoogleHttp.UserInfoClient, CalendarGrains.Google.GoogleHttp.OAuthClient,
        };

        foreach (var name in names)
        {
            using var response = await factory.CreateClient(name).GetAsync(new Uri(host.BaseUrl, $"/sandbox/nothing?code={Secret}&state={Secret}"), _ct);
        }

        Assert.Contains(host.Logs.Lines, line => line.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
        Assert.DoesNotContain(Secret, host.Logs.All, StringComparison.Ordinal);
    }
}
