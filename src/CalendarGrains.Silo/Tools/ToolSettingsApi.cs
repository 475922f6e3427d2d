using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using CalendarGrains.Silo.Auth;
using CalendarGrains.Silo.Http;
using CalendarGrains.Tools;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Tools;

/// <summary>
/// <c>PUT /v1/tool-settings</c>: the tenant's defaults for its calendar tools. All members optional;
/// a PUT replaces the whole (a member left out goes back to its default).
/// </summary>
/// <param name="TimeZone">The callers' IANA zone when neither a tool call nor its call names one (default: the calendar's own).</param>
/// <param name="WorkingHours"><c>{"timeZone"?, "days": {"mon": ["09:00-17:00"], ...}}</c> (default Mon–Fri 09:00–17:00 in the calendar's zone); a connection's <c>workingHours</c> metadata overrides it.</param>
/// <param name="EventScope"><c>tools-or-caller</c> (default), <c>caller</c> or <c>all</c>: which events update_event and cancel_event may change.</param>
/// <param name="DefaultDurationMinutes">Meeting length when a tool call gives none (default 30).</param>
public sealed record ToolSettingsRequest(
    [StringLength(64, MinimumLength = 1)] string? TimeZone,
    JsonElement? WorkingHours,
    string? EventScope,
    [Range(5, 480)] int? DefaultDurationMinutes);

/// <summary>The tenant's tool settings as the API shows them (defaults filled in).</summary>
public sealed record ToolSettingsResource(
    string? TimeZone,
    JsonElement? WorkingHours,
    string EventScope,
    int DefaultDurationMinutes,
    DateTimeOffset? UpdatedAt);

public static class ToolSettingsApi
{
    private static readonly Dictionary<string, EventScope> Scopes = new(StringComparer.Ordinal)
    {
        ["tools-or-caller"] = EventScope.ToolsOrCaller,
        ["caller"] = EventScope.Caller,
        ["all"] = EventScope.All,
    };

    public static IEndpointRouteBuilder MapToolSettingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/tool-settings").WithTags("Calendar tools").RequireAuthorization(AuthPolicies.Tenant);
        group.MapGet("/", GetAsync).WithName("GetToolSettings").WithSummary("The tenant's calendar-tool defaults: time zone, working hours, event scope, meeting length.");
        group.MapPut("/", PutAsync).WithName("PutToolSettings").WithSummary("Replaces the tenant's calendar-tool defaults.");
        return app;
    }

    private static async Task<Ok<ToolSettingsResource>> GetAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(ToResource(await grains.GetGrain<IToolSettingsGrain>(user.TenantId()).GetAsync()));

    private static async Task<Results<Ok<ToolSettingsResource>, ProblemHttpResult>> PutAsync(ToolSettingsRequest request, ClaimsPrincipal user, IGrainFactory grains)
    {
        string? zoneId = null;
        if (request.TimeZone is { } zone)
        {
            if (!ZoneNames.TryFind(zone, out var found, out var problem))
            {
                return Problems.InvalidField("timeZone", $"timeZone: {problem}.");
            }

            zoneId = found.Id;
        }

        string? hoursJson = null;
        if (request.WorkingHours is { ValueKind: not JsonValueKind.Null } hours)
        {
            if (!WorkingHoursSpec.TryParse(hours, out _, out var problem))
            {
                return Problems.InvalidField("workingHours", problem!);
            }

            hoursJson = hours.GetRawText();
        }

        var scope = EventScope.ToolsOrCaller;
        if (request.EventScope is { } scopeName && !Scopes.TryGetValue(scopeName, out scope))
        {
            return Problems.InvalidField("eventScope", "eventScope must be one of tools-or-caller, caller, all.");
        }

        var stored = await grains.GetGrain<IToolSettingsGrain>(user.TenantId())
            .SetAsync(new ToolSettings(zoneId, hoursJson, scope, request.DefaultDurationMinutes, UpdatedAt: null));
        return TypedResults.Ok(ToResource(stored));
    }

    private static ToolSettingsResource ToResource(ToolSettings settings)
    {
        JsonElement? hours = null;
        if (settings.WorkingHoursJson is { } json)
        {
            using var document = JsonDocument.Parse(json);
            hours = document.RootElement.Clone();
        }

        return new ToolSettingsResource(
            settings.TimeZone,
            hours,
            Scopes.First(entry => entry.Value == settings.EventScope).Key,
            settings.DefaultDurationMinutes ?? 30,
            settings.UpdatedAt);
    }
}
