using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarGrains.Sandbox.Tests.Vapi;

/// <summary>Each rule answers Vapi's 400 shape; none creates a call.</summary>
public sealed class VapiValidationTests : IClassFixture<VapiFixture>
{
    private readonly VapiFixture _vapi;

    public VapiValidationTests(VapiFixture vapi)
    {
        _vapi = vapi;
        vapi.StartTest();
    }

    [Theory]
    [InlineData("top-level metadata", "property metadata should not exist")]
    [InlineData("top-level credentials", "property credentials should not exist")]
    [InlineData("customer number too short", "customer.number must be longer than or equal to 3 characters")]
    [InlineData("customer number too long", "customer.number must be shorter than or equal to 40 characters")]
    [InlineData("customer number not E.164", "customer.number must be a valid phone number in the E.164 format. Hot tip, you may be missing the country code (Eg. US: +1).")]
    [InlineData("customer name too long", "customer.name must be shorter than or equal to 40 characters")]
    [InlineData("customer unknown member", "customer.property phone should not exist")]
    [InlineData("call name too long", "name must be shorter than or equal to 40 characters")]
    [InlineData("unknown member in overrides", "assistantOverrides.property connectionId should not exist")]
    [InlineData("google credential without authorizationId", "assistantOverrides.credentials.0.authorizationId must be a string")]
    [InlineData("credential name too long", "assistantOverrides.credentials.0.name must be shorter than or equal to 40 characters")]
    [InlineData("custom credential without plan", "assistantOverrides.credentials.0.authenticationPlan should not be null or undefined")]
    [InlineData("custom oauth2 plan without secret", "assistantOverrides.credentials.0.authenticationPlan.clientSecret must be a string")]
    [InlineData("custom plan of unknown type", "assistantOverrides.credentials.0.authenticationPlan.type must be one of the following values: oauth2, hmac, bearer")]
    [InlineData("credentials not an array", "assistantOverrides.credentials must be an array")]
    [InlineData("server url not a URL", "assistantOverrides.server.url must be a URL address")]
    [InlineData("earliestAt not a date", "schedulePlan.earliestAt must be a valid ISO 8601 date string")]
    public async Task CreateCall_BreakingADtoRule_Answers400WithTheMessageInAnArray(string rule, string expectedMessage)
    {
        var body = VapiClient.CallBody();
        Break(body, rule);

        var messages = await ExpectBadRequestAsync(body);

        Assert.Equal(JsonValueKind.Array, messages.ValueKind);
        Assert.Contains(expectedMessage, messages.EnumerateArray().Select(message => message.GetString()));
    }

    [Fact]
    public async Task CreateCall_WithAnUnknownCredentialProvider_NamesTheProvidersVapiKnows()
    {
        var body = VapiClient.CallBody();
        Credential(body)["provider"] = "google.calendar";

        var messages = await ExpectBadRequestAsync(body);

        var message = Assert.Single(messages.EnumerateArray()).GetString();
        Assert.StartsWith("assistantOverrides.credentials.0.provider must be one of the following values: 11labs, ", message);
        Assert.Contains("google.calendar.oauth2-authorization, ", message, StringComparison.Ordinal);
        Assert.Contains("custom-credential, ", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateCall_WithSeveralMistakes_ListsThemAll()
    {
        var body = VapiClient.CallBody();
        body["metadata"] = new JsonObject();
        body["customer"]!["number"] = "1";

        var messages = await ExpectBadRequestAsync(body);

        Assert.Equal(2, messages.GetArrayLength());
    }

    [Theory]
    [InlineData("assistantId", "Couldn't Get Assistant. Need Either `assistant`, `assistantId`, `squad`, Or `squadId`.")]
    [InlineData("phoneNumberId", "Couldn't Get Phone Number. Need Either `phoneNumberId` Or `phoneNumber`.")]
    [InlineData("customer", "Couldn't Get Customer. Need Either `customer` Or `customerId`.")]
    public async Task CreateCall_MissingWhatACallNeeds_Answers400WithASingleMessage(string removed, string expectedMessage)
    {
        var body = VapiClient.CallBody();
        body.Remove(removed);

        var message = await ExpectBadRequestAsync(body);

        Assert.Equal(JsonValueKind.String, message.ValueKind);
        Assert.Equal(expectedMessage, message.GetString());
    }

    [Fact]
    public async Task CreateCall_WithMalformedJson_Answers400()
    {
        using var response = await _vapi.Client.CreateCallRawAsync(VapiFixture.Key, "{\"assistantId\": ");

        var body = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Unexpected token in JSON", body.GetProperty("message").GetString());
        Assert.Empty(_vapi.Vapi.CreatedCalls());
    }

    [Theory]
    [InlineData("squad instead of assistant")]
    [InlineData("transient assistant")]
    [InlineData("custom oauth2 credential")]
    [InlineData("non-E.164 number with the check off")]
    [InlineData("server with a legacy secret")]
    public async Task CreateCall_ValidVariants_AreAccepted(string variant)
    {
        var body = VapiClient.CallBody();
        switch (variant)
        {
            case "squad instead of assistant":
                body.Remove("assistantId");
                body["squadId"] = "squad-1";
                break;
            case "transient assistant":
                body.Remove("assistantId");
                body["assistant"] = new JsonObject { ["name"] = "Scheduler", ["firstMessage"] = "Hi!" };
                break;
            case "custom oauth2 credential":
                Credentials(body).Add(CustomOAuth2Credential());
                break;
            case "non-E.164 number with the check off":
                body["customer"] = new JsonObject { ["number"] = "1234", ["numberE164CheckEnabled"] = false };
                break;
            case "server with a legacy secret":
                body["assistantOverrides"]!["server"] = new JsonObject { ["url"] = "http://127.0.0.1:9/events", ["secret"] = "s" };
                break;
        }

        using var response = await _vapi.Client.CreateCallAsync(VapiFixture.Key, body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<JsonElement> ExpectBadRequestAsync(JsonNode body)
    {
        using var response = await _vapi.Client.CreateCallAsync(VapiFixture.Key, body);
        var json = await VapiClient.ReadJsonAsync(response);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Bad Request", json.GetProperty("error").GetString());
        Assert.Equal(400, json.GetProperty("statusCode").GetInt32());
        Assert.Empty(_vapi.Vapi.CreatedCalls());
        return json.GetProperty("message");
    }

    private static void Break(JsonObject body, string rule)
    {
        switch (rule)
        {
            case "top-level metadata":
                body["metadata"] = new JsonObject { ["callId"] = "call_01" };
                break;
            case "top-level credentials":
                body["credentials"] = new JsonArray();
                break;
            case "customer number too short":
                body["customer"]!["number"] = "+1";
                break;
            case "customer number too long":
                body["customer"]!["number"] = "+1" + new string('5', 40);
                break;
            case "customer number not E.164":
                body["customer"]!["number"] = "555-0100";
                break;
            case "customer name too long":
                body["customer"]!["name"] = new string('a', 41);
                break;
            case "customer unknown member":
                body["customer"]!["phone"] = "+15550100";
                break;
            case "call name too long":
                body["name"] = new string('n', 41);
                break;
            case "unknown member in overrides":
                body["assistantOverrides"]!["connectionId"] = "conn_1";
                break;
            case "google credential without authorizationId":
                Credential(body).Remove("authorizationId");
                break;
            case "credential name too long":
                Credential(body)["name"] = new string('c', 41);
                break;
            case "custom credential without plan":
                Credentials(body).Add(new JsonObject { ["provider"] = "custom-credential", ["name"] = "token" });
                body["assistantOverrides"]!["credentials"]!.AsArray().RemoveAt(0);
                break;
            case "custom oauth2 plan without secret":
                body["assistantOverrides"]!["credentials"] = new JsonArray(CustomOAuth2Credential());
                Credential(body)["authenticationPlan"]!.AsObject().Remove("clientSecret");
                break;
            case "custom plan of unknown type":
                body["assistantOverrides"]!["credentials"] = new JsonArray(CustomOAuth2Credential());
                Credential(body)["authenticationPlan"]!["type"] = "basic";
                break;
            case "credentials not an array":
                body["assistantOverrides"]!["credentials"] = new JsonObject();
                break;
            case "server url not a URL":
                body["assistantOverrides"]!["server"] = new JsonObject { ["url"] = "events" };
                break;
            case "earliestAt not a date":
                body["schedulePlan"] = new JsonObject { ["earliestAt"] = "tomorrow" };
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rule), rule, "no such case");
        }
    }

    private static JsonArray Credentials(JsonObject body) => body["assistantOverrides"]!["credentials"]!.AsArray();

    private static JsonObject Credential(JsonObject body) => Credentials(body)[0]!.AsObject();

    private static JsonObject CustomOAuth2Credential() => new()
    {
        ["provider"] = "custom-credential",
        ["name"] = "CalendarGrains conn_1",
        ["authenticationPlan"] = new JsonObject
        {
            ["type"] = "oauth2",
            ["url"] = "http://127.0.0.1:8080/oauth2/token",
            ["clientId"] = "conn_1",
            ["clientSecret"] = "secret",
        },
    };
}
