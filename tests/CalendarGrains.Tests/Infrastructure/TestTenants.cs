using System.Net;
using System.Net.Http.Json;
using CalendarGrains.Silo.Tenants;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>Creates tenants through the real admin route, with secrets a test can search for.</summary>
public static class TestTenants
{
    public static object Definition(string name = "Acme", string? clientSecret = null, string? vapiApiKey = null, string? webhookUrl = null, string[]? returnUrls = null) => new
    {
        name,
        google = new { clientId = "acme.apps.googleusercontent.com", clientSecret = clientSecret ?? "gcs-" + Guid.NewGuid().ToString("N"), scopes = new[] { "https://www.googleapis.com/auth/calendar" } },
        vapi = new { apiKey = vapiApiKey ?? "vapi-" + Guid.NewGuid().ToString("N"), concurrencyLimit = 3 },
        webhookUrl = webhookUrl ?? "https://acme.example/webhooks",
        allowedReturnUrls = returnUrls ?? ["https://acme.example/connected"],
    };

    public static async Task<TenantCreatedResponse> CreateAsync(ServiceHost host, object? definition = null)
    {
        var response = await host.Admin.PostAsJsonAsync("/v1/tenants", definition ?? Definition(), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<TenantCreatedResponse>(TestContext.Current.CancellationToken))!;
    }
}
