using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CalendarGrains.Tests.Connections;
using CalendarGrains.Tests.Infrastructure;

namespace CalendarGrains.Tests.Operations;

public sealed class DashboardTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private readonly CancellationToken _ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_AnswersOnlyToTheAdminKey()
    {
        using var kit = await ConnectionKit.CreateAsync(fixture.Host);

        var anonymous = await fixture.Host.Http.GetAsync("/dashboard", _ct);
        var tenant = await kit.Api.GetAsync("/dashboard", _ct);
        var wrongPassword = await SendAsync(Basic("admin", "not-the-key"));
        var bearer = await fixture.Host.Admin.GetAsync("/dashboard/", _ct);
        var basic = await SendAsync(Basic("anyone", ServiceHost.AdminKey));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains(anonymous.Headers.WwwAuthenticate, h => h.Scheme == "Basic"); // a browser asks for the key
        Assert.Equal(HttpStatusCode.Unauthorized, tenant.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, basic.StatusCode);
        Assert.Contains("<html", await basic.Content.ReadAsStringAsync(_ct), StringComparison.OrdinalIgnoreCase);
    }

    private static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    private async Task<HttpResponseMessage> SendAsync(AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Authorization = authorization;
        return await fixture.Host.Http.SendAsync(request, _ct);
    }
}
