namespace CalendarGrains.Tools;

/// <summary>
/// One grain per tenant, keyed by the tenant id: the defaults its calendar tools use (time zone,
/// working hours, which events a call may change, meeting length). Read on every tool call.
/// </summary>
[Alias("cg.IToolSettingsGrain")]
public interface IToolSettingsGrain : IGrainWithStringKey
{
    /// <summary>The settings; <see cref="ToolSettings.Default"/> until the tenant sets any.</summary>
    [ReadOnly]
    Task<ToolSettings> GetAsync();

    /// <summary>Replaces the settings (validated by the API) and answers them as stored.</summary>
    Task<ToolSettings> SetAsync(ToolSettings settings);
}

/// <summary>Which existing events <c>update_event</c> and <c>cancel_event</c> may change.</summary>
[GenerateSerializer, Alias("cg.EventScope")]
public enum EventScope
{
    /// <summary>Events created through the tools, and events that match the caller (their number or email). The default.</summary>
    ToolsOrCaller = 0,

    /// <summary>Only events that match the caller: booked from the caller's number, or with the caller's email as a guest.</summary>
    Caller = 1,

    /// <summary>Any event of the calendar.</summary>
    All = 2,
}

/// <summary>A tenant's defaults for its calendar tools.</summary>
/// <param name="TimeZone">The callers' IANA zone when neither the tool call nor the call names one; null: the calendar's own.</param>
/// <param name="WorkingHoursJson">Working hours (README, "Working hours"); null: Monday to Friday 09:00–17:00 in the calendar's zone. A connection's <c>workingHours</c> metadata overrides it.</param>
/// <param name="EventScope">Which events a call may move or cancel.</param>
/// <param name="DefaultDurationMinutes">Meeting length when a tool call gives none; null: 30.</param>
/// <param name="UpdatedAt">When the tenant last set them; null for the defaults.</param>
[GenerateSerializer, Immutable, Alias("cg.ToolSettings")]
public sealed record ToolSettings(
    [property: Id(0)] string? TimeZone,
    [property: Id(1)] string? WorkingHoursJson,
    [property: Id(2)] EventScope EventScope,
    [property: Id(3)] int? DefaultDurationMinutes,
    [property: Id(4)] DateTimeOffset? UpdatedAt)
{
    public static ToolSettings Default { get; } = new(null, null, EventScope.ToolsOrCaller, null, null);
}
