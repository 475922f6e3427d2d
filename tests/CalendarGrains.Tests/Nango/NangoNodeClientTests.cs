using System.Text.Json;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Nango;

/// <summary>
/// Nango's own client, <c>@nangohq/node</c> 0.71.10 (<c>tests/nango-client</c>, installed by <c>.ci/run</c>
/// with <c>npm ci</c>), pointed at this service with a tenant key as its secret key.
/// </summary>
public sealed class NangoNodeClientTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task NangosNodeClient_WorksUnchanged_AgainstThisService()
    {
        var (node, project) = NodeScripts.Require("nango-client", ["@nangohq/node"], [], "CI");
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var refreshToken = await kit.MintRefreshTokenAsync("node-client@example.com");
        await NangoRoutesTests.ImportAsync(kit, "node-1", "node-user", refreshToken, new { source = "nango" });
        await NangoRoutesTests.ImportAsync(kit, "node-delete-me", "node-other", await kit.MintRefreshTokenAsync("node-other@example.com"));
        var revocations = kit.Google.GetStats().Revocations;

        var results = await NodeScripts.RunAsync(node, Path.Combine(project, "run.mjs"), new Dictionary<string, string>
        {
            ["NANGO_HOST"] = kit.Host.BaseUrl.AbsoluteUri,
            ["NANGO_SECRET_KEY"] = kit.Tenant.ApiKey,
            ["CONNECTION_ID"] = "node-1",
            ["END_USER_ID"] = "node-user",
            ["DELETE_ID"] = "node-delete-me",
        }, TimeSpan.FromSeconds(60), _ct);

        var connection = NodeScripts.Ok(results, "getConnection");
        Assert.Equal("node-1", connection.GetProperty("connection_id").GetString());
        Assert.Equal("node-user", connection.GetProperty("end_user").GetProperty("id").GetString());
        Assert.Equal("OAUTH2", connection.GetProperty("credentials").GetProperty("type").GetString());
        var asked = NodeScripts.Ok(results, "getConnectionAskingForRefreshToken").GetProperty("credentials");
        Assert.False(asked.TryGetProperty("refresh_token", out _));
        Assert.DoesNotContain(refreshToken, results.GetRawText(), StringComparison.Ordinal);

        var token = NodeScripts.Ok(results, "getToken").GetString()!;
        var forced = NodeScripts.Ok(results, "getTokenForced").GetString()!;
        Assert.Equal("node-client@example.com", kit.Google.ValidateAccessToken(token));
        Assert.NotEqual(token, forced);
        Assert.Equal("node-client@example.com", kit.Google.ValidateAccessToken(forced));

        Assert.Equal(201, NodeScripts.Ok(results, "setMetadata").GetProperty("status").GetInt32());
        Assert.Equal(200, NodeScripts.Ok(results, "updateMetadata").GetProperty("status").GetInt32());
        var metadata = NodeScripts.Ok(results, "getMetadata");
        Assert.Equal("pro", metadata.GetProperty("plan").GetString());
        Assert.Equal(5, metadata.GetProperty("seats").GetInt32());
        Assert.False(metadata.TryGetProperty("source", out _));

        Assert.Equal(["node-1", "node-delete-me"], Ids(NodeScripts.Ok(results, "listConnections")));
        Assert.Equal(["node-1"], Ids(NodeScripts.Ok(results, "listConnectionsOfEndUser")));
        Assert.Equal(["node-1"], Ids(NodeScripts.Ok(results, "listConnectionsLegacy")));

        var deleted = NodeScripts.Ok(results, "deleteConnection");
        Assert.Equal(200, deleted.GetProperty("status").GetInt32());
        Assert.True(deleted.GetProperty("data").GetProperty("success").GetBoolean());
        Assert.Equal(revocations + 1, kit.Google.GetStats().Revocations);
        NodeScripts.Failed(results, "getDeletedConnection", 404, "not_found");

        // The error a caller of Nango's client sees for an unknown connection: axios' error with Nango's body.
        var unknown = NodeScripts.Failed(results, "getUnknownConnection", 404, "not_found");
        Assert.Equal("Request failed with status code 404", unknown.GetProperty("message").GetString());
        Assert.Equal("Failed to find connection", unknown.GetProperty("data").GetProperty("error").GetProperty("message").GetString());
        NodeScripts.Failed(results, "getTokenOfUnknownConnection", 404, "not_found");
        NodeScripts.Failed(results, "deleteUnknownConnection", 400, "unknown_connection");
        NodeScripts.Failed(results, "getConnectionOfUnknownIntegration", 400, "unknown_provider_config");
        NodeScripts.Failed(results, "getConnectionWithAWrongKey", 401, "unknown_account");
    }

    private static IEnumerable<string?> Ids(JsonElement list) =>
        list.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("connection_id").GetString());
}
