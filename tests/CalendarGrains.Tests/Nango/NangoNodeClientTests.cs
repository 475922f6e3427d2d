using System.Diagnostics;
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
        var (node, script) = NodeAndScript();
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);
        var refreshToken = await kit.MintRefreshTokenAsync("node-client@example.com");
        await NangoRoutesTests.ImportAsync(kit, "node-1", "node-user", refreshToken, new { source = "nango" });
        await NangoRoutesTests.ImportAsync(kit, "node-delete-me", "node-other", await kit.MintRefreshTokenAsync("node-other@example.com"));
        var revocations = kit.Google.GetStats().Revocations;

        var results = await RunAsync(node, script, new()
        {
            ["NANGO_HOST"] = kit.Host.BaseUrl.AbsoluteUri,
            ["NANGO_SECRET_KEY"] = kit.Tenant.ApiKey,
            ["CONNECTION_ID"] = "node-1",
            ["END_USER_ID"] = "node-user",
            ["DELETE_ID"] = "node-delete-me",
        });

        var connection = Ok(results, "getConnection");
        Assert.Equal("node-1", connection.GetProperty("connection_id").GetString());
        Assert.Equal("node-user", connection.GetProperty("end_user").GetProperty("id").GetString());
        Assert.Equal("OAUTH2", connection.GetProperty("credentials").GetProperty("type").GetString());
        var asked = Ok(results, "getConnectionAskingForRefreshToken").GetProperty("credentials");
        Assert.False(asked.TryGetProperty("refresh_token", out _));
        Assert.DoesNotContain(refreshToken, results.GetRawText(), StringComparison.Ordinal);

        var token = Ok(results, "getToken").GetString()!;
        var forced = Ok(results, "getTokenForced").GetString()!;
        Assert.Equal("node-client@example.com", kit.Google.ValidateAccessToken(token));
        Assert.NotEqual(token, forced);
        Assert.Equal("node-client@example.com", kit.Google.ValidateAccessToken(forced));

        Assert.Equal(201, Ok(results, "setMetadata").GetProperty("status").GetInt32());
        Assert.Equal(200, Ok(results, "updateMetadata").GetProperty("status").GetInt32());
        var metadata = Ok(results, "getMetadata");
        Assert.Equal("pro", metadata.GetProperty("plan").GetString());
        Assert.Equal(5, metadata.GetProperty("seats").GetInt32());
        Assert.False(metadata.TryGetProperty("source", out _));

        Assert.Equal(["node-1", "node-delete-me"], Ids(Ok(results, "listConnections")));
        Assert.Equal(["node-1"], Ids(Ok(results, "listConnectionsOfEndUser")));
        Assert.Equal(["node-1"], Ids(Ok(results, "listConnectionsLegacy")));

        var deleted = Ok(results, "deleteConnection");
        Assert.Equal(200, deleted.GetProperty("status").GetInt32());
        Assert.True(deleted.GetProperty("data").GetProperty("success").GetBoolean());
        Assert.Equal(revocations + 1, kit.Google.GetStats().Revocations);
        Failed(results, "getDeletedConnection", 404, "not_found");

        // The error a caller of Nango's client sees for an unknown connection: axios' error with Nango's body.
        var unknown = Failed(results, "getUnknownConnection", 404, "not_found");
        Assert.Equal("Request failed with status code 404", unknown.GetProperty("message").GetString());
        Assert.Equal("Failed to find connection", unknown.GetProperty("data").GetProperty("error").GetProperty("message").GetString());
        Failed(results, "getTokenOfUnknownConnection", 404, "not_found");
        Failed(results, "deleteUnknownConnection", 400, "unknown_connection");
        Failed(results, "getConnectionOfUnknownIntegration", 400, "unknown_provider_config");
        Failed(results, "getConnectionWithAWrongKey", 401, "unknown_account");
    }

    private static JsonElement Ok(JsonElement results, string call)
    {
        var result = results.GetProperty(call);
        Assert.True(result.GetProperty("ok").GetBoolean(), $"{call} failed: {result}");
        return result.GetProperty("value");
    }

    private static JsonElement Failed(JsonElement results, string call, int status, string code)
    {
        var result = results.GetProperty(call);
        Assert.False(result.GetProperty("ok").GetBoolean(), $"{call} should have failed: {result}");
        Assert.Equal(status, result.GetProperty("status").GetInt32());
        Assert.Equal(code, result.GetProperty("data").GetProperty("error").GetProperty("code").GetString());
        return result;
    }

    private static IEnumerable<string?> Ids(JsonElement list) =>
        list.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("connection_id").GetString());

    private async Task<JsonElement> RunAsync(string node, string script, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(node, [script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(script)!,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(_ct);
        var stderr = process.StandardError.ReadToEndAsync(_ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node exited {process.ExitCode}: {await stderr}");
        return JsonDocument.Parse(await stdout).RootElement;
    }

    /// <summary>
    /// <c>node</c> and the installed client. Locally either may be missing (skip, saying how to get it);
    /// on CI (<c>CI</c> set) both must be there, because <c>.ci/run</c> installs them.
    /// </summary>
    private static (string Node, string Script) NodeAndScript()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CalendarGrains.sln")))
        {
            root = root.Parent;
        }

        var client = Path.Combine(root?.FullName ?? "", "tests", "nango-client");
        var node = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "node")).FirstOrDefault(File.Exists);
        var installed = File.Exists(Path.Combine(client, "node_modules", "@nangohq", "node", "package.json"));
        var missing = node is null ? "node is not on the PATH" : !installed ? $"@nangohq/node is not installed (run: npm ci --prefix {client})" : null;
        if (missing is not null)
        {
            Assert.False(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), $"On CI the Nango client test must run, but {missing}.");
            Assert.Skip($"Nango's node client cannot run here: {missing}.");
        }

        return (node!, Path.Combine(client, "run.mjs"));
    }
}
