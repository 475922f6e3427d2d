using System.Diagnostics;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry.Trace;

namespace CalendarGrains.Tests.Operations;

/// <summary>One token request that refreshes is one trace: our HTTP span, the grain call, the call to Google.</summary>
public sealed class TraceTests
{
    [Fact]
    public async Task ARefreshingTokenRequest_IsOneTrace_FromHttpThroughTheGrainToGoogle_WithNoSecretInIt()
    {
        var spans = new LockedCollection<Activity>();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var host = await ServiceHost.StartAsync(new Dictionary<string, string?> { ["Telemetry:Tracing"] = "true" }, builder =>
        {
            builder.Services.AddKeyedSingleton<TimeProvider>(CalendarGrains.Common.ServiceTime.Key, clock);
            builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        });
        using var kit = await ConnectionKit.CreateAsync(host);
        var id = await kit.ConnectAsync("traced", "traced@example.com");
        clock.Advance(TimeSpan.FromHours(2));
        var tokenPath = $"/v1/connections/{id}/token";

        var token = await kit.TokenOkAsync(id);

        var root = await Eventually.HoldsAsync(
            () => Task.FromResult(Snapshot(spans).FirstOrDefault(s => s.Kind == ActivityKind.Server && (s.GetTagItem("url.path") as string) == tokenPath)),
            span => span is not null,
            because: "the server span of the token request is exported");
        var trace = await Eventually.HoldsAsync(
            () => Task.FromResult(Snapshot(spans).Where(s => s.TraceId == root!.TraceId).ToList()),
            all => all.Any(IsGoogleTokenCall),
            because: "the call to Google's token endpoint is in the same trace");
        Assert.Contains(trace, s => s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal) && s.DisplayName.Contains("IConnectionGrain", StringComparison.Ordinal));
        Assert.Contains(trace, IsGoogleTokenCall);
        var everything = string.Join('\n', Snapshot(spans).SelectMany(s => s.TagObjects.Select(t => $"{t.Key}={t.Value}").Append(s.DisplayName)));
        Assert.DoesNotContain(token.AccessToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(kit.Tenant.ApiKey, everything, StringComparison.Ordinal);
    }

    private static bool IsGoogleTokenCall(Activity span) =>
        span.Kind == ActivityKind.Client && span.GetTagItem("url.full") is string url && url.Contains("/sandbox/google/token", StringComparison.Ordinal);

    private static List<Activity> Snapshot(LockedCollection<Activity> spans) => spans.Snapshot();
}
