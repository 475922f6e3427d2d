using System.Text.Json;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Tests.Deploy;
using CalendarGrains.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;

namespace CalendarGrains.Tests.Docs;

/// <summary>
/// docs/api.md cannot drift from the API: its route and shape reference is what the served
/// OpenAPI document (and the routes' authorization policies) say, or this fails.
/// </summary>
public sealed class ApiReferenceTests(SandboxHostFixture fixture) : IClassFixture<SandboxHostFixture>
{
    private const string File = "docs/api.md";

    [Fact]
    public async Task ApiDoc_MatchesTheServedOpenApiDocument()
    {
        using var openApi = JsonDocument.Parse(await fixture.Host.Http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var expected = ApiReference.Render(openApi.RootElement, KeysByOperation());
        var document = RepositoryFiles.Read(File).ReplaceLineEndings("\n");
        var begin = document.IndexOf(ApiReference.Begin, StringComparison.Ordinal);
        var end = document.IndexOf(ApiReference.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"{File} has no generated part between its markers.");
        var actual = document[begin..(end + ApiReference.End.Length)];

        if (actual != expected && Environment.GetEnvironmentVariable("CG_UPDATE_API_DOC") == "1")
        {
            await System.IO.File.WriteAllTextAsync(RepositoryFiles.PathOf(File), document[..begin] + expected + document[(end + ApiReference.End.Length)..], TestContext.Current.CancellationToken);
            return;
        }

        Assert.True(actual == expected, $"{File} and /openapi/v1.json disagree; first difference near: \"{FirstDifference(actual, expected)}\". Rerun with CG_UPDATE_API_DOC=1 to rewrite the generated part, then read the diff.");
    }

    [Fact]
    public void ApiDoc_IsLinkedFromTheReadme_AndTheReadmeLinksNothingOutsideTheRepository()
    {
        var readme = RepositoryFiles.Read("README.md");

        Assert.Contains("(docs/api.md)", readme, StringComparison.Ordinal);
        Assert.DoesNotContain("../shared", readme, StringComparison.Ordinal);
    }

    /// <summary>operationId → the API key its authorization policy requires.</summary>
    private Dictionary<string, string> KeysByOperation() =>
        ((IEndpointRouteBuilder)fixture.Host.App).DataSources
            .SelectMany(source => source.Endpoints)
            .Select(endpoint => (Name: endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, Policy: endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault()))
            .Where(e => e.Name is not null && e.Policy is not null)
            .GroupBy(e => e.Name!)
            .ToDictionary(g => g.Key, g => g.First().Policy switch
            {
                AuthPolicies.Admin => "admin",
                AuthPolicies.Tenant => "tenant",
                AuthPolicies.AdminOrTenant => "admin or tenant",
                var other => other!,
            });

    private static string FirstDifference(string actual, string expected)
    {
        var at = 0;
        while (at < actual.Length && at < expected.Length && actual[at] == expected[at])
        {
            at++;
        }

        return expected.Substring(Math.Max(0, at - 40), Math.Min(120, expected.Length - Math.Max(0, at - 40)));
    }
}
