using System.Net;
using System.Text.Json;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>The documented problem+json answer: status, stable code and type, and the field in error.</summary>
public static class ProblemAssert
{
    public static async Task IsProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? errorField = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal($"urn:calendargrains:problem:{code}", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        if (errorField is not null)
        {
            Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(errorField, out _), $"errors names {errorField}: {problem.RootElement}");
        }
    }
}
