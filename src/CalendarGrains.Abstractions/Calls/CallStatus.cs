using System.Text.Json.Serialization;

namespace CalendarGrains.Calls;

/// <summary>
/// Where a call stands (docs/api.md). The order of the members is the order of progress: a call only
/// ever moves to a later status, except that a refusal by Vapi (429, concurrency limit) puts a
/// <see cref="Dispatching"/> call back to <see cref="Pending"/>. The last three are final.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<CallStatus>))]
public enum CallStatus
{
    /// <summary>Accepted; waiting for its scheduled time or for one of the tenant's concurrency slots.</summary>
    [JsonStringEnumMemberName("pending")]
    Pending = 0,

    /// <summary>It has a slot and <c>POST /call</c> is under way (or its outcome is being reconciled).</summary>
    [JsonStringEnumMemberName("dispatching")]
    Dispatching = 1,

    [JsonStringEnumMemberName("queued")]
    Queued = 2,

    [JsonStringEnumMemberName("ringing")]
    Ringing = 3,

    [JsonStringEnumMemberName("in-progress")]
    InProgress = 4,

    [JsonStringEnumMemberName("forwarding")]
    Forwarding = 5,

    [JsonStringEnumMemberName("ended")]
    Ended = 6,

    /// <summary>It could not be placed (see <c>lastError</c>); the customer was not dialled by us.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed = 7,

    /// <summary>Canceled by the tenant while still pending.</summary>
    [JsonStringEnumMemberName("canceled")]
    Canceled = 8,
}
