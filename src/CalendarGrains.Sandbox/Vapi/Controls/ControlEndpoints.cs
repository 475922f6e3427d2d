using CalendarGrains.Sandbox.Vapi.Inbound;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi.Controls;

/// <summary>
/// The emulator's own surface under <c>{prefix}/_emulator</c>: what tests and a person at the sandbox use to
/// set it up, break it and watch it. Not part of Vapi's API; no key needed.
/// </summary>
internal static class ControlEndpoints
{
    public static void MapVapiControlEndpoints(this IEndpointRouteBuilder group)
    {
        group.MapPost("/accounts", RegisterAccount);
        group.MapGet("/accounts", (VapiEmulator emulator) => Json(emulator.Accounts()));
        group.MapPost("/accounts/{orgId}/keys", AddApiKey);
        group.MapGet("/settings", (VapiEmulator emulator) => Json(SettingsDocument.From(emulator.Settings)));
        group.MapPut("/settings", ChangeSettings);
        group.MapGet("/outcomes", (VapiEmulator emulator) => Json(OutcomesOf(emulator)));
        group.MapPut("/outcomes", ChangeOutcomes);
        group.MapPost("/faults/fail-next", FailNext);
        group.MapPost("/faults/drop-next", DropNext);
        group.MapGet("/stats", (VapiEmulator emulator) => Json(new StatsDocument(emulator.Counters, emulator.Accounts())));
        group.MapGet("/calls", (VapiEmulator emulator) => Json(emulator.CreatedCalls()));
        group.MapPost("/calls/{id}/advance", AdvanceAsync);
        group.MapPost("/calls/{id}/complete", CompleteAsync);
        group.MapGet("/webhooks", (VapiEmulator emulator) => Json(emulator.WebhookAttempts()));
        group.MapPost("/inbound-calls", InboundCallAsync);
        group.MapPost("/calls/{id}/tool-calls", ToolCallsAsync);
        group.MapPost("/reset", (VapiEmulator emulator) =>
        {
            emulator.Reset();
            return Results.NoContent();
        });
    }

    private static IResult RegisterAccount(AccountRegistration registration, VapiEmulator emulator) => Guarded(() =>
    {
        var account = emulator.RegisterAccount(
            registration.ApiKey,
            registration.ConcurrencyLimit ?? VapiEmulator.DefaultConcurrencyLimit,
            registration.ServerUrl,
            registration.ServerSecret);
        return Json(account, StatusCodes.Status201Created);
    });

    private static IResult AddApiKey(string orgId, ApiKeyAddition addition, VapiEmulator emulator) => Guarded(() =>
    {
        emulator.AddApiKey(orgId, addition.ApiKey);
        return Results.NoContent();
    });

    private static IResult ChangeSettings(SettingsDocument change, VapiEmulator emulator) =>
        Guarded(() => Json(SettingsDocument.From(emulator.Configure(change.ApplyTo))));

    private static IResult ChangeOutcomes(OutcomesDocument change, VapiEmulator emulator) => Guarded(() =>
    {
        var byNumber = (change.ByNumber ?? new Dictionary<string, string?>())
            .Select(entry => (entry.Key, Outcome: entry.Value is null ? null : ControlParsing.Outcome(entry.Value)))
            .ToList();
        if (change.Default is { } defaultName)
        {
            var defaultOutcome = ControlParsing.Outcome(defaultName);
            emulator.Configure(settings => settings with { DefaultOutcome = defaultOutcome });
        }

        foreach (var (number, outcome) in byNumber)
        {
            emulator.SetOutcomeForNumber(number, outcome);
        }

        return Json(OutcomesOf(emulator));
    });

    private static IResult FailNext(FailNextRequest request, VapiEmulator emulator) => Guarded(() =>
    {
        var retryAfter = request.RetryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        emulator.FailNextCreateCalls(request.Count, request.StatusCode, retryAfter);
        return Results.NoContent();
    });

    private static IResult DropNext(DropNextRequest request, VapiEmulator emulator) => Guarded(() =>
    {
        emulator.DropNextCreateCallResponses(request.Count);
        return Results.NoContent();
    });

    private static async Task<IResult> AdvanceAsync(string id, VapiEmulator emulator, CancellationToken cancellationToken)
    {
        try
        {
            return Json(await emulator.AdvanceAsync(id, cancellationToken));
        }
        catch (KeyNotFoundException)
        {
            return Results.NotFound();
        }
    }

    private static async Task<IResult> CompleteAsync(string id, CompleteRequest request, VapiEmulator emulator, CancellationToken cancellationToken)
    {
        try
        {
            return Json(await emulator.CompleteAsync(id, ControlParsing.Outcome(request.Outcome), cancellationToken));
        }
        catch (KeyNotFoundException)
        {
            return Results.NotFound();
        }
        catch (FormatException exception)
        {
            return Results.BadRequest(new { error = exception.Message });
        }
    }

    private static async Task<IResult> InboundCallAsync(InboundCallRequest request, VapiEmulator emulator, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await emulator.SimulateInboundCallAsync(request.ApiKey, request.OrgId, request.PhoneNumberId, request.Number, request.CustomerNumber, cancellationToken);
            return Json(outcome, outcome.Call is null ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return Results.BadRequest(new { error = exception.Message });
        }
    }

    private static async Task<IResult> ToolCallsAsync(string id, ToolCallsRequest request, VapiEmulator emulator, CancellationToken cancellationToken)
    {
        try
        {
            var (status, answer, failure) = await emulator.SendToolCallsAsync(id, request.ServerUrl, request.Secret, request.ToolCallList, cancellationToken);
            return Json(new { status, answer, failure });
        }
        catch (KeyNotFoundException)
        {
            return Results.NotFound();
        }
    }

    private static OutcomesDocument OutcomesOf(VapiEmulator emulator) => new(
        emulator.Settings.DefaultOutcome.Name,
        emulator.OutcomesByNumber().ToDictionary(entry => entry.Key, entry => (string?)entry.Value.Name, StringComparer.Ordinal));

    /// <summary>A bad control value is the caller's mistake: 400 with the reason, never a 500.</summary>
    private static IResult Guarded(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            return Results.BadRequest(new { error = exception.Message });
        }
    }

    private static IResult Json<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, VapiJson.Options, statusCode: statusCode);
}
