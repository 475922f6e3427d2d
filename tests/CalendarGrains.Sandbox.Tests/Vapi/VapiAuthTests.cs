using System.Net;
using System.Net.Http.Headers;

namespace CalendarGrains.Sandbox.Tests.Vapi;

public sealed class VapiAuthTests : IClassFixture<VapiFixture>
{
    private readonly VapiFixture _vapi;

    public VapiAuthTests(VapiFixture vapi)
    {
        _vapi = vapi;
        vapi.StartTest();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-registered-key")]
    public async Task CreateCall_WithoutARegisteredKey_Answers401InVapisShapeAndCreatesNothing(string? key)
    {
        using var response = await _vapi.Client.CreateCallAsync(key, VapiClient.CallBody());

        var body = await VapiClient.ReadJsonAsync(response);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(401, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("Unauthorized", body.GetProperty("error").GetString());
        Assert.StartsWith("Invalid Key.", body.GetProperty("message").GetString());
        Assert.Empty(_vapi.Vapi.CreatedCalls());
        Assert.Equal(1, _vapi.Vapi.Counters.CreateCallAttempts);
    }

    [Fact]
    public async Task GetAndListCalls_WithAnUnknownKey_Answer401()
    {
        var created = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);

        using var get = await _vapi.Client.GetCallAsync("wrong-key", created.GetProperty("id").GetString()!);
        using var list = await _vapi.Client.ListCallsAsync("wrong-key");

        Assert.Equal(HttpStatusCode.Unauthorized, get.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, list.StatusCode);
    }

    [Fact]
    public async Task CreateCall_WithTheKeyInAnotherScheme_Answers401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/vapi/call")
        {
            Content = System.Net.Http.Json.JsonContent.Create(VapiClient.CallBody()),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", VapiFixture.Key);

        using var response = await _vapi.Emulators.Http.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AnotherKeyOfTheSameOrg_SeesTheOrgsCalls()
    {
        var created = await _vapi.Client.CreateCallOkAsync(VapiFixture.Key);
        _vapi.Vapi.AddApiKey(_vapi.OrgId, "second-key-of-org-1");

        using var response = await _vapi.Client.GetCallAsync("second-key-of-org-1", created.GetProperty("id").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void RegisterAccount_AgainWithTheSameKey_UpdatesThatOrg()
    {
        var again = _vapi.Vapi.RegisterAccount(VapiFixture.Key, concurrencyLimit: 3);

        Assert.Equal(_vapi.OrgId, again.OrgId);
        Assert.Equal(3, _vapi.Vapi.FindAccount(_vapi.OrgId)!.ConcurrencyLimit);
        Assert.Null(again.ServerUrl);
    }

    [Fact]
    public void AccountInfo_NeverShowsKeysOrSecrets()
    {
        var text = System.Text.Json.JsonSerializer.Serialize(_vapi.Vapi.Accounts());

        Assert.DoesNotContain(VapiFixture.Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain(VapiFixture.OrgSecret, text, StringComparison.Ordinal);
        Assert.True(_vapi.Vapi.FindAccount(_vapi.OrgId)!.HasServerSecret);
    }
}
