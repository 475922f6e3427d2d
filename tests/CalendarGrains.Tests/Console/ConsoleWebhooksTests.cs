using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CalendarGrains.Tests.Infrastructure;
using CalendarGrains.Tests.Webhooks;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.WebConsole;

/// <summary>The webhooks page: the outbox's own delivery log, failed ones first, and "retry now".</summary>
public sealed partial class ConsoleWebhooksTests(ConsoleWebhooksTests.SlowRetriesHost fixture) : IClassFixture<ConsoleWebhooksTests.SlowRetriesHost>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailedDeliveries_ComeFirst_AndRetryNowSendsOneAtOnce()
    {
        var host = fixture.Host;
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailAll(503);
        var tenant = await TestTenants.CreateAsync(host, TestTenants.Definition(webhookUrl: receiver.Url()));
        using var api = host.Client(tenant.ApiKey);
        foreach (var user in new[] { "hook-user-1", "hook-user-2" })
        {
            Assert.Equal(HttpStatusCode.Created, (await api.PostAsJsonAsync("/v1/connections?validate=false", new { endUserId = user, refreshToken = "1//" + user }, _ct)).StatusCode);
        }

        using var console = new ConsoleClient(host);
        await console.SignInAsync(tenant.ApiKey);
        var path = $"/console/t/{tenant.Id}/webhooks";
        var failing = await Eventually.HoldsAsync(() => console.GetPageAsync(path), page => Rows(page).Count(row => row.Outcome == "retrying") == 2,
            TimeSpan.FromSeconds(20), "both events failed once");
        Assert.All(Rows(failing), row => Assert.True(row.Failed));
        Assert.Contains("http_503", failing, StringComparison.Ordinal);
        var first = Rows(failing)[0].EventId;

        receiver.SucceedFromNowOn();
        var retried = await console.PostFormAsync(path, "retry-now", ("EventId", first));
        Assert.Contains($"Event {first} is being sent again now.", await retried.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);

        // Only the one retried goes out now (the next automatic retry is ten minutes away); it sorts after the failing one.
        var after = await Eventually.HoldsAsync(() => console.GetPageAsync(path), page => Rows(page).Any(row => row.EventId == first && row.Outcome == "delivered"),
            TimeSpan.FromSeconds(20), "the retried event was delivered");
        Assert.Equal(["retrying", "delivered"], Rows(after).Select(row => row.Outcome));
        Assert.Equal(first, receiver.Delivered.Single().Id);
        var unknown = await console.PostFormAsync(path, "retry-now", ("EventId", "evt_unknown"));
        Assert.Contains("is not waiting to be sent", await unknown.Content.ReadAsStringAsync(_ct), StringComparison.Ordinal);
    }

    private static List<(string EventId, string Outcome, bool Failed)> Rows(string html) =>
        [.. DeliveryRow().Matches(html).Select(match => (match.Groups[2].Value, match.Groups[3].Value, match.Groups[1].Value == "failed"))];

    [GeneratedRegex("<tr(?: class=\"(failed)\")? data-event-id=\"([^\"]+)\">[\\s\\S]*?data-status=\"([a-z]+)\"")]
    private static partial Regex DeliveryRow();

    /// <summary>A sandbox host whose outbox waits ten minutes before retrying, so a test sees what "retry now" does.</summary>
    public sealed class SlowRetriesHost : IAsyncLifetime
    {
        public ServiceHost Host { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Host = await ServiceHost.StartAsync(new Dictionary<string, string?>
        {
            ["Webhooks:RetryDelays:0"] = "00:10:00",
            ["Webhooks:Jitter"] = "0",
        });

        public async ValueTask DisposeAsync() => await Host.DisposeAsync();
    }
}
