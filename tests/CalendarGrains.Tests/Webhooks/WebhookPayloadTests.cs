using System.Text;
using CalendarGrains.Webhooks;

namespace CalendarGrains.Tests.Webhooks;

public sealed class WebhookPayloadTests
{
    [Fact]
    public void Serialize_WritesTypeTimestampAndTheDataVerbatim()
    {
        // Spacing, member order and escapes in the data are the producer's and must survive.
        const string data = "{ \"connectionId\": \"conn_1\",  \"n\": 1.50, \"s\": \"\\u00e9\" }";
        var webhookEvent = new WebhookEvent("evt_1", WebhookEventTypes.ConnectionCreated, new DateTimeOffset(2026, 11, 24, 10, 30, 0, TimeSpan.FromHours(1)), data);

        var body = Encoding.UTF8.GetString(WebhookPayload.Serialize(webhookEvent));

        Assert.Equal("{\"type\":\"connection.created\",\"timestamp\":\"2026-11-24T09:30:00Z\",\"data\":" + data + "}", body);
    }

    [Theory]
    [InlineData("", "t", "{}", "id")]
    [InlineData("evt 1", "t", "{}", "id")]
    [InlineData("evt_1", "", "{}", "type")]
    [InlineData("evt_1", "t", "[1]", "object")]
    [InlineData("evt_1", "t", "{\"a\":", "JSON")]
    public void Problem_NamesWhatIsWrong(string id, string type, string data, string expected)
    {
        var problem = WebhookPayload.Problem(new WebhookEvent(id, type, DateTimeOffset.UnixEpoch, data));

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_OfAGoodEvent_IsNull() =>
        Assert.Null(WebhookPayload.Problem(new WebhookEvent("evt_1", "call.ended", DateTimeOffset.UnixEpoch, "{\"a\":[1,2]}")));
}
