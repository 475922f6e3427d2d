using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Telemetry;
using Microsoft.Extensions.Logging;

namespace CalendarGrains.Vapi;

/// <summary>
/// Vapi's call API with the tenant's private key per request. <c>POST /call</c> goes through a
/// client with no retry at all (Vapi has no idempotency keys: the dispatcher reconciles instead);
/// reads go through a client whose resilience handler may retry them. Every request is bounded by
/// a timeout. The key is never logged.
/// </summary>
public sealed partial class VapiClient(
    IHttpClientFactory httpClients,
    IVapiEndpoints endpoints,
    CallMetrics metrics,
    ILogger<VapiClient> logger)
{
    /// <summary>Vapi's <c>GET /call</c> answers at most this many calls, newest first, with no cursor.</summary>
    public const int MaxListLimit = 1000;

    public async Task<VapiCreateResult> CreateCallAsync(string apiKey, JsonObject body, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "/call", apiKey);
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, MediaTypeNames.Application.Json);
        var result = await SendCreateAsync(request, cancellationToken);
        if (result is VapiCallRefused refused)
        {
            Error("create", refused.Kind);
        }
        else if (result is VapiCallRejected rejected)
        {
            Error("create", rejected.Code == "vapi_unauthorized" ? VapiErrorKinds.Unauthorized : VapiErrorKinds.Rejected);
        }
        else if (result is VapiCallAmbiguous ambiguous)
        {
            Error("create", ambiguous.Kind);
        }

        return result;
    }

    public async Task<VapiReadResult> GetCallAsync(string apiKey, string vapiCallId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, "/call/" + Uri.EscapeDataString(vapiCallId), apiKey);
        return await ReadAsync("get", request, json => VapiJson.ReadCall(json) is { } call ? new VapiCallFound(call) : null, cancellationToken);
    }

    /// <summary>One page of the account's calls created in [<paramref name="createdAtGe"/>, <paramref name="createdAtLt"/>), newest first.</summary>
    public async Task<VapiReadResult> ListCallsAsync(string apiKey, DateTimeOffset createdAtGe, DateTimeOffset? createdAtLt, int limit, CancellationToken cancellationToken)
    {
        var query = new StringBuilder("/call?limit=").Append(limit.ToString(CultureInfo.InvariantCulture))
            .Append("&createdAtGe=").Append(Uri.EscapeDataString(VapiJson.Iso(createdAtGe)));
        if (createdAtLt is { } before)
        {
            query.Append("&createdAtLt=").Append(Uri.EscapeDataString(VapiJson.Iso(before)));
        }

        using var request = Request(HttpMethod.Get, query.ToString(), apiKey);
        return await ReadAsync(
            "list",
            request,
            json => json.ValueKind == JsonValueKind.Array
                ? new VapiCallsListed([.. json.EnumerateArray().Select(VapiJson.ReadCall).OfType<VapiCallInfo>()])
                : null,
            cancellationToken);
    }

    /// <summary>The create client (handler and client timeout) bounds the request, body included, by <c>Calls:DispatchTimeout</c>, without retry.</summary>
    private async Task<VapiCreateResult> SendCreateAsync(HttpRequestMessage request, CancellationToken caller)
    {
        try
        {
            using var response = await httpClients.CreateClient(VapiHttpClientNames.CreateCall).SendAsync(request, caller);
            var text = await response.Content.ReadAsStringAsync(caller);
            var status = (int)response.StatusCode;
            LogResponse(logger, "create", status);
            if (response.IsSuccessStatusCode)
            {
                return ParseCall(text) is { } call ? new VapiCallCreated(call) : new VapiCallAmbiguous(VapiErrorKinds.InvalidResponse);
            }

            var message = VapiJson.ErrorMessage(text);
            return response.StatusCode switch
            {
                HttpStatusCode.TooManyRequests => new VapiCallRefused(VapiErrorKinds.RateLimited, RetryAfter(response)),
                HttpStatusCode.BadRequest when message.Contains("Concurrency Limit", StringComparison.OrdinalIgnoreCase) =>
                    new VapiCallRefused(VapiErrorKinds.ConcurrencyLimit, RetryAfter(response)),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new VapiCallRejected("vapi_unauthorized", status, message),
                _ when status >= 500 => new VapiCallAmbiguous(VapiErrorKinds.ServerError),
                _ => new VapiCallRejected("vapi_rejected", status, message),
            };
        }
        catch (Exception e) when (e is Polly.Timeout.TimeoutRejectedException || (e is OperationCanceledException && !caller.IsCancellationRequested))
        {
            LogFailure(logger, "create", VapiErrorKinds.Timeout);
            return new VapiCallAmbiguous(VapiErrorKinds.Timeout);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // Note: a reset after the request went out is the case that tempts a blind retry: Vapi
            // may well have created the call. Only reconciliation can tell.
            LogFailure(logger, "create", VapiErrorKinds.Network);
            return new VapiCallAmbiguous(VapiErrorKinds.Network);
        }
    }

    private async Task<VapiReadResult> ReadAsync(string operation, HttpRequestMessage request, Func<JsonElement, VapiReadResult?> read, CancellationToken cancellationToken)
    {
        VapiReadResult result;
        try
        {
            // The read client bounds the whole exchange, body included (Calls:ReadTimeout, see CallServices).
            using var response = await httpClients.CreateClient(VapiHttpClientNames.Read).SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            LogResponse(logger, operation, (int)response.StatusCode);
            result = response.StatusCode switch
            {
                HttpStatusCode.OK => Parse(text, read) ?? new VapiUnavailable(VapiErrorKinds.InvalidResponse),
                HttpStatusCode.NotFound => new VapiCallNotFound(),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new VapiUnavailable(VapiErrorKinds.Unauthorized),
                HttpStatusCode.TooManyRequests => new VapiUnavailable(VapiErrorKinds.RateLimited),
                _ when (int)response.StatusCode >= 500 => new VapiUnavailable(VapiErrorKinds.ServerError),
                _ => new VapiUnavailable(VapiErrorKinds.Rejected),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            result = new VapiUnavailable(VapiErrorKinds.Timeout);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or Polly.Timeout.TimeoutRejectedException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            result = new VapiUnavailable(e is Polly.Timeout.TimeoutRejectedException ? VapiErrorKinds.Timeout : VapiErrorKinds.Network);
        }

        if (result is VapiUnavailable unavailable)
        {
            LogFailure(logger, operation, unavailable.Kind);
            Error(operation, unavailable.Kind);
        }

        return result;
    }

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery, string apiKey)
    {
        var request = new HttpRequestMessage(method, new Uri(endpoints.BaseUrl.ToString().TrimEnd('/') + pathAndQuery));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return request;
    }

    private void Error(string operation, string kind) => metrics.VapiError(operation, kind);

    private static VapiCallInfo? ParseCall(string text) => Parse(text, json => VapiJson.ReadCall(json) is { } call ? new VapiCallFound(call) : null) is VapiCallFound found
        ? found.Call
        : null;

    private static VapiReadResult? Parse(string text, Func<JsonElement, VapiReadResult?> read)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return read(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } when response.Headers.Date is { } now => date - now,
        _ => null,
    };

    [LoggerMessage(EventId = 401, EventName = "VapiResponse", Level = LogLevel.Debug, Message = "Vapi {Operation} answered {StatusCode}")]
    private static partial void LogResponse(ILogger logger, string operation, int statusCode);

    [LoggerMessage(EventId = 402, EventName = "VapiFailure", Level = LogLevel.Warning, Message = "Vapi {Operation} failed: {Kind}")]
    private static partial void LogFailure(ILogger logger, string operation, string kind);
}
