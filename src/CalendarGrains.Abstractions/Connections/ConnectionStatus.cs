using System.Text.Json.Serialization;

namespace CalendarGrains.Connections;

/// <summary>Where a connection stands (docs/api.md); the wire names are snake_case.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConnectionStatus>))]
public enum ConnectionStatus
{
    /// <summary>The refresh token works (as far as we know).</summary>
    [JsonStringEnumMemberName("active")]
    Active = 0,

    /// <summary>Google answered invalid_grant: the user must connect again.</summary>
    [JsonStringEnumMemberName("needs_reauth")]
    NeedsReauth = 1,

    /// <summary>Deleted: the grant was revoked (or abandoned) and the token material erased.</summary>
    [JsonStringEnumMemberName("revoked")]
    Revoked = 2,
}
