using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Vapi.Calls;
using CalendarGrains.Sandbox.Vapi.Inbound;
using CalendarGrains.Sandbox.Vapi.Webhooks;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi;

public sealed partial class VapiEmulator
{
    /// <summary>Vapi gives an assistant-request this long, end to end (its docs: fixed, not configurable).</summary>
    public static readonly TimeSpan AssistantRequestTimeout = TimeSpan.FromSeconds(7.5);

    /// <summary>
    /// A customer calls one of the org's numbers: Vapi sends <c>assistant-request</c> to the org's server URL
    /// (with its secret) and, when the answer names an assistant, starts an <c>inboundPhoneCall</c> with the
    /// answer's <c>assistantId</c>/<c>assistant</c> and <c>assistantOverrides</c>, which then lives like any call.
    /// An <c>error</c> answer, a failed request or no assistant ends it before it starts.
    /// </summary>
    public async Task<InboundCallOutcome> SimulateInboundCallAsync(
        string? apiKey, string? orgId, string? phoneNumberId, string? number, string customerNumber, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(customerNumber);
        var account = (apiKey is null ? null : Authenticate("Bearer " + apiKey))
            ?? (orgId is null ? null : AccountOfOrg(orgId))
            ?? throw new ArgumentException("No Vapi account has that private key or org id.", nameof(apiKey));
        Uri serverUrl;
        string? secret;
        lock (_gate)
        {
            serverUrl = account.ServerUrl ?? throw new InvalidOperationException("The org has no server URL to send assistant-request to.");
            secret = account.ServerSecret;
        }

        var now = Now();
        var ringing = new JsonObject
        {
            ["id"] = Guid.CreateVersion7(now).ToString(),
            ["orgId"] = account.OrgId,
            ["type"] = "inboundPhoneCall",
            ["status"] = CallStatuses.Ringing,
            ["createdAt"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            ["phoneNumberId"] = phoneNumberId,
            ["customer"] = new JsonObject { ["number"] = customerNumber },
        };
        var message = new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["type"] = "assistant-request",
                ["timestamp"] = now.ToUnixTimeMilliseconds(),
                ["phoneNumber"] = number is null ? null : new JsonObject { ["provider"] = "vapi", ["number"] = number },
                ["customer"] = new JsonObject { ["number"] = customerNumber },
                ["call"] = ringing,
            },
        };

        var (status, answer, failure) = await PostAsync(serverUrl, secret, message, AssistantRequestTimeout, cancellationToken);
        if (failure is not null || answer is not JsonObject reply)
        {
            return new InboundCallOutcome(status, answer, null, "assistant-request-failed", failure ?? "the answer is not a JSON object");
        }

        if (reply["error"] is JsonValue error)
        {
            return new InboundCallOutcome(status, answer, null, "assistant-request-returned-error", error.ToString());
        }

        if (reply["assistantId"] is null && reply["assistant"] is null)
        {
            return new InboundCallOutcome(status, answer, null, "assistant-request-returned-no-assistant", null);
        }

        var body = new JsonObject
        {
            ["assistantId"] = reply["assistantId"]?.DeepClone(),
            ["assistant"] = reply["assistant"]?.DeepClone(),
            ["assistantOverrides"] = reply["assistantOverrides"]?.DeepClone(),
            ["phoneNumberId"] = phoneNumberId,
            ["customer"] = new JsonObject { ["number"] = customerNumber },
        };
        using var document = JsonDocument.Parse(body.ToJsonString());
        var created = CreateCall(account, new CreateCallRequest(document.RootElement.Clone(), null), "inboundPhoneCall");
        return created is CreateCallResult.Created { Call: var call }
            ? new InboundCallOutcome(status, answer, call, null, null)
            : new InboundCallOutcome(status, answer, null, ConcurrencyLimitReachedReason, null);
    }

    /// <summary>
    /// The model of a live call asks for tools: Vapi posts <c>tool-calls</c> (with the call as it stands, its
    /// overrides included) to the tool's server URL and answers what that server said.
    /// </summary>
    public async Task<(int? Status, JsonNode? Answer, string? Failure)> SendToolCallsAsync(
        string callId, Uri serverUrl, string? secret, JsonArray toolCallList, CancellationToken cancellationToken)
    {
        VapiCall call;
        JsonElement? customer;
        lock (_gate)
        {
            var found = _calls.Find(callId) ?? throw new KeyNotFoundException(callId);
            call = found.ToWire();
            customer = found.Request.Customer;
        }

        var message = new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["type"] = "tool-calls",
                ["timestamp"] = Now().ToUnixTimeMilliseconds(),
                ["toolCallList"] = toolCallList.DeepClone(),
                ["call"] = JsonSerializer.SerializeToNode(call, VapiJson.Options),
                ["customer"] = customer is { } c ? JsonNode.Parse(c.GetRawText()) : null,
            },
        };
        return await PostAsync(serverUrl, secret, message, TimeSpan.FromSeconds(20), cancellationToken);
    }

    private Accounts.VapiAccount? AccountOfOrg(string orgId)
    {
        lock (_gate)
        {
            return _accounts.FindByOrg(orgId);
        }
    }

    private async Task<(int? Status, JsonNode? Answer, string? Failure)> PostAsync(Uri url, string? secret, JsonObject message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(limit.Token, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(message.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (secret is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Vapi-Secret", secret);
        }

        try
        {
            using var response = await _httpClients.CreateClient(WebhookDispatcher.HttpClientName).SendAsync(request, linked.Token);
            var text = await response.Content.ReadAsStringAsync(linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                return ((int)response.StatusCode, null, $"HTTP {(int)response.StatusCode}");
            }

            try
            {
                return ((int)response.StatusCode, JsonNode.Parse(text), null);
            }
            catch (JsonException)
            {
                return ((int)response.StatusCode, null, "the answer is not JSON");
            }
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            return (null, null, "timed out");
        }
        catch (HttpRequestException exception)
        {
            return (null, null, exception.Message);
        }
    }
}
