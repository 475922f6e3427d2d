using System.Globalization;
using System.Text.Json;
using CalendarGrains.Sandbox.Vapi.Calls.Validation;
using CalendarGrains.Sandbox.Vapi.Wire;
using Microsoft.AspNetCore.Http.Features;

namespace CalendarGrains.Sandbox.Vapi.Calls;

/// <summary>Vapi's call API: <c>POST /call</c>, <c>GET /call/{id}</c>, <c>GET /call</c>.</summary>
internal static class CallEndpoints
{
    private const long MaxBodyBytes = 1024 * 1024;

    public static void MapVapiCallEndpoints(this IEndpointRouteBuilder group)
    {
        group.MapPost("/call", CreateCallAsync);
        group.MapGet("/call/{id}", GetCall);
        group.MapGet("/call", ListCalls);
    }

    private static async Task<IResult> CreateCallAsync(HttpContext context, VapiEmulator emulator)
    {
        emulator.CountCreateCallAttempt();
        if (emulator.Authenticate(context.Request.Headers.Authorization) is not { } account)
        {
            return VapiErrors.Unauthorized();
        }

        if (emulator.TakeInjectedFailure() is { } failure)
        {
            if (failure.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            return VapiErrors.Injected(failure.StatusCode);
        }

        var (body, bodyError) = await ReadBodyAsync(context);
        if (bodyError is not null)
        {
            return bodyError;
        }

        using (body)
        {
            var verdict = CreateCallValidator.Validate(body!.RootElement);
            if (verdict.FieldErrors.Count > 0)
            {
                return VapiErrors.BadRequest(verdict.FieldErrors);
            }

            if (verdict.RuleError is { } ruleError)
            {
                return VapiErrors.BadRequest(ruleError);
            }

            if (emulator.CreateCall(account, verdict.Request!) is not CreateCallResult.Created created)
            {
                return VapiErrors.BadRequest("Over Concurrency Limit");
            }

            if (emulator.TakeDroppedResponse())
            {
                // The call exists and moves on; the client never hears about it.
                context.Abort();
                return Results.Empty;
            }

            return Results.Json(created.Call, VapiJson.Options, statusCode: StatusCodes.Status201Created);
        }
    }

    private static IResult GetCall(string id, HttpContext context, VapiEmulator emulator)
    {
        if (emulator.Authenticate(context.Request.Headers.Authorization) is not { } account)
        {
            return VapiErrors.Unauthorized();
        }

        return emulator.GetVisibleCall(account, id) is { } call
            ? Results.Json(call, VapiJson.Options)
            : VapiErrors.NotFound();
    }

    /// <summary>A plain JSON array, newest first: no envelope, no cursor.</summary>
    private static IResult ListCalls(HttpContext context, VapiEmulator emulator)
    {
        if (emulator.Authenticate(context.Request.Headers.Authorization) is not { } account)
        {
            return VapiErrors.Unauthorized();
        }

        var errors = new FieldErrors();
        var query = ListCallsQuery.Parse(context.Request.Query, errors);
        return errors.Any
            ? VapiErrors.BadRequest(errors.Messages)
            : Results.Json(emulator.ListVisibleCalls(account, query), VapiJson.Options);
    }

    /// <summary>Reads the JSON body (an empty body is <c>{}</c>, as Express's parser leaves it).</summary>
    private static async Task<(JsonDocument? Body, IResult? Error)> ReadBodyAsync(HttpContext context)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        if (context.Request.ContentLength is > MaxBodyBytes)
        {
            return (null, VapiErrors.PayloadTooLarge());
        }

        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            return buffer.Length == 0
                ? (JsonDocument.Parse("{}"), null)
                : (JsonDocument.Parse(buffer.ToArray()), null);
        }
        catch (JsonException exception)
        {
            return (null, VapiErrors.BadRequest(
                string.Create(CultureInfo.InvariantCulture, $"Unexpected token in JSON at position {exception.BytePositionInLine ?? 0}")));
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, VapiErrors.PayloadTooLarge());
        }
    }
}
