using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CalendarGrains.Sandbox.Google;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace CalendarGrains.Sandbox.Tests.Google;

/// <summary>The knobs over HTTP, as a person or another process uses them. Tests put every knob back.</summary>
public sealed class GoogleControlSurfaceTests(EmulatorFixture emulators) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegisterClient_ThenTheClientCanConnect()
    {
        var stats = await PostAsync("clients", new { clientId = "http-client", clientSecret = "http-secret", redirectUris = new[] { "http://127.0.0.1:7000/cb" } });
        var page = await emulators.Http.GetAsync(
            "/google/o/oauth2/v2/auth?client_id=http-client&redirect_uri=http://127.0.0.1:7000/cb&response_type=code&scope=openid",
            Ct);
        var mismatch = await emulators.Http.GetAsync(
            "/google/o/oauth2/v2/auth?client_id=http-client&redirect_uri=http://127.0.0.1:7001/cb&response_type=code&scope=openid",
            Ct);

        Assert.True(stats.GetProperty("clients").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);
    }

    [Fact]
    public async Task FailNext_OverHttp_ArmsTheTokenEndpoint()
    {
        var client = GoogleTestClient.Register(emulators);

        var stats = await PostAsync("fail-next", new { count = 1, status = 500 });
        var failed = await client.RefreshAsync("1//x");
        var normal = await client.RefreshAsync("1//x");

        Assert.Equal(1, stats.GetProperty("pendingFailures").GetInt32());
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal("invalid_grant", normal.Error);
    }

    [Fact]
    public async Task Settings_OverHttp_ChangeTheEmulator()
    {
        try
        {
            await PostAsync("latency", new { milliseconds = 25 });
            await PostAsync("access-token-lifetime", new { seconds = 120 });
            var stats = await PostAsync("rotate-refresh-tokens", new { enabled = true });

            Assert.Equal(TimeSpan.FromMilliseconds(25), emulators.Google.Latency);
            Assert.Equal(TimeSpan.FromSeconds(120), emulators.Google.AccessTokenLifetime);
            Assert.True(emulators.Google.RotateRefreshTokens);
            Assert.True(stats.GetProperty("rotateRefreshTokens").GetBoolean());
            Assert.Equal(120, stats.GetProperty("accessTokenLifetimeSeconds").GetDouble());
        }
        finally
        {
            emulators.Google.Reset();
        }
    }

    [Theory]
    [InlineData("fail-next", """{"count":1,"status":200}""")]
    [InlineData("fail-next", """{"status":503}""")]
    [InlineData("latency", """{"milliseconds":-1}""")]
    [InlineData("access-token-lifetime", """{"seconds":0}""")]
    [InlineData("rotate-refresh-tokens", """{}""")]
    [InlineData("clients", """{"clientId":"x"}""")]
    [InlineData("latency", """not json""")]
    public async Task InvalidBodies_Are400(string knob, string body)
    {
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await emulators.Http.PostAsync($"/google/_emulator/{knob}", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Reset_ForgetsUsersAndTokens_KeepsClients_UnlessAsked()
    {
        var client = GoogleTestClient.Register(emulators);
        var tokens = await client.ConnectAsync("reset@example.com");

        var stats = await PostAsync("reset", new { });
        var refresh = await client.RefreshAsync(tokens.RefreshToken!);
        var clientsKept = stats.GetProperty("clients").GetInt32();
        var cleared = await PostAsync("reset?clients=true", new { });

        Assert.Equal(0, stats.GetProperty("grants").GetInt32());
        Assert.Equal(0, stats.GetProperty("tokenRequests").GetInt32());
        Assert.Equal("invalid_grant", refresh.Error);
        Assert.True(clientsKept >= 1);
        Assert.Equal(0, cleared.GetProperty("clients").GetInt32());
    }

    [Fact]
    public void EmulatorRoutes_StayOutOfTheOpenApiDescription()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGoogleEmulator();
        using var app = builder.Build();
        app.MapGoogleEmulator("/sandbox/google");

        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();

        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/sandbox/google/token");
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/sandbox/google/_emulator/stats");
        Assert.All(endpoints, e => Assert.True(e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>()?.ExcludeFromDescription, e.DisplayName));
    }

    private async Task<JsonElement> PostAsync(string knob, object body)
    {
        using var response = await emulators.Http.PostAsJsonAsync($"/google/_emulator/{knob}", body, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
