using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CalendarGrains.Sandbox.Google;
using CalendarGrains.Testing;

namespace CalendarGrains.Benchmarks;

/// <summary>
/// Median and p99 latency of one Vapi tool call (check_availability) with a warm token: our
/// endpoint, the connection grain, and Google Calendar (the in-process emulator, over HTTP).
/// </summary>
public static class ToolCallLatency
{
    public sealed record Result(double MedianMs, double P99Ms, int Calls);

    public static async Task<Result> MeasureAsync(Uri baseUrl, HttpClient admin, GoogleEmulator google, int calls)
    {
        var (tenantId, secret, connectionId) = await ConnectAsync(baseUrl, admin, google);

        // A working day a week or more ahead: the tools offer no past times, so a fixed date would go stale.
        var day = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(7);
        while (day.DayOfWeek != DayOfWeek.Wednesday)
        {
            day = day.AddDays(1);
        }

        var date = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        using var http = new HttpClient { BaseAddress = baseUrl };
        var message = new JsonObject
        {
            ["message"] = new JsonObject
            {
                ["type"] = "tool-calls",
                ["toolCallList"] = new JsonArray(new JsonObject
                {
                    ["id"] = "bench",
                    ["type"] = "function",
                    ["function"] = new JsonObject
                    {
                        ["name"] = "check_availability",
                        ["arguments"] = new JsonObject { ["start"] = $"{date}T09:00:00", ["end"] = $"{date}T17:00:00", ["timeZone"] = "Europe/Berlin" },
                    },
                }),
                ["call"] = new JsonObject { ["assistantOverrides"] = new JsonObject { ["variableValues"] = new JsonObject { ["connectionId"] = connectionId } } },
            },
        };
        var body = message.ToJsonString();
        var latencies = new List<double>(calls);
        for (var i = 0; i < calls + 20; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/vapi/tool-calls/{tenantId}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Vapi-Secret", secret);
            var started = Stopwatch.GetTimestamp();
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (i >= 20) // the first ones warm up
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            if (!text.Contains("\"result\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The tool call failed: {text}");
            }
        }

        latencies.Sort();
        return new Result(latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.99)], latencies.Count);
    }

    /// <summary>A tenant whose client the emulator knows, and a connection made by a consent walk.</summary>
    private static async Task<(string TenantId, string Secret, string ConnectionId)> ConnectAsync(Uri baseUrl, HttpClient admin, GoogleEmulator google)
    {
        google.RegisterClient("bench-tools.apps.googleusercontent.com", "bench-tools-secret");
        var returnUrl = new Uri(baseUrl, "/sandbox/return").AbsoluteUri;
        var tenant = await (await admin.PostAsJsonAsync("/v1/tenants", new
        {
            name = "Tools benchmark",
            google = new { clientId = "bench-tools.apps.googleusercontent.com", clientSecret = "bench-tools-secret" },
            allowedReturnUrls = new[] { returnUrl },
        })).Content.ReadFromJsonAsync<JsonElement>();
        using var api = new HttpClient { BaseAddress = baseUrl };
        api.DefaultRequestHeaders.Authorization = new("Bearer", tenant.GetProperty("apiKey").GetString());
        var session = await (await api.PostAsJsonAsync("/v1/connect-sessions", new { endUserId = "bench", returnUrl })).Content.ReadFromJsonAsync<JsonElement>();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var toGoogle = await browser.GetAsync(session.GetProperty("connectUrl").GetString());
        var callback = await GoogleConsent.ApproveAsync(browser, toGoogle.Headers.Location!, "bench@example.com");
        var back = await browser.GetAsync(callback);
        var connectionId = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Headers.Location!.Query)["connectionId"].ToString();
        return (tenant.GetProperty("id").GetString()!, tenant.GetProperty("vapiServerSecret").GetString()!, connectionId);
    }
}
