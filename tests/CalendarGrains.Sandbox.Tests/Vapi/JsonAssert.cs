using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarGrains.Sandbox.Tests.Vapi;

internal static class JsonAssert
{
    public static void Same(JsonNode? expected, JsonElement actual) =>
        Assert.True(
            JsonNode.DeepEquals(expected, JsonNode.Parse(actual.GetRawText())),
            $"Expected {expected?.ToJsonString()}, got {actual.GetRawText()}");

    /// <summary>Vapi's timestamps: <c>Date.toISOString()</c>, UTC with milliseconds.</summary>
    public static void IsVapiTimestamp(JsonElement value) =>
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", value.GetString());
}
