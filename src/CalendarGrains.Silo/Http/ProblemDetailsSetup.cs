using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// Every failure, including the framework's own (unknown route, wrong method, bad JSON, too large
/// a body), answers RFC 9457 problem+json with a stable <c>code</c> and <c>type</c>.
/// </summary>
public static class ProblemDetailsSetup
{
    /// <summary>docs/api.md: bodies over 64 KiB are refused with 413.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    public static IServiceCollection AddProblemResponses(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (!problem.Extensions.TryGetValue("code", out var code) || code is not string)
            {
                code = ProblemCodes.ForStatus(status);
                problem.Extensions["code"] = code;
            }

            if (string.IsNullOrEmpty(problem.Type) || problem.Type.StartsWith("https://tools.ietf.org/", StringComparison.Ordinal))
            {
                problem.Type = ProblemCodes.TypeOf((string)code!);
            }

            problem.Extensions.Remove("exception");
            if (problem is HttpValidationProblemDetails validation)
            {
                CamelCaseErrorKeys(validation.Errors);
            }
        });
        services.AddExceptionHandler<ExceptionProblemHandler>();
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(options => options.SerializerOptions.AllowOutOfOrderMetadataProperties = true);
        return services;
    }

    /// <summary>Validation names members as C# does (<c>Google.ClientId</c>); the wire is camelCase.</summary>
    private static void CamelCaseErrorKeys(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var camel = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            if (camel != key)
            {
                errors[camel] = errors[key];
                errors.Remove(key);
            }
        }
    }

    public static WebApplication UseProblemResponses(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
