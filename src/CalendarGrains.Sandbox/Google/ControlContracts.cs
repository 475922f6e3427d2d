using System.Text.Json;
using System.Text.Json.Serialization;

namespace CalendarGrains.Sandbox.Google;

// Bodies of the emulator's own control surface ({prefix}/_emulator/...). These are ours, not Google's,
// so they follow the project's camelCase JSON.

internal sealed record FailNextRequest(int? Count, int? Status, string? Error, string? ErrorDescription);

internal sealed record LatencyRequest(double? Milliseconds);

internal sealed record AccessTokenLifetimeRequest(double? Seconds);

internal sealed record RotationRequest(bool? Enabled);

internal sealed record RegisterClientRequest(string? ClientId, string? ClientSecret, IReadOnlyList<string>? RedirectUris);

internal sealed record RevokeUserResponse(string Email, int RevokedGrants);

internal sealed record ControlError(string Error, string Detail);

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FailNextRequest))]
[JsonSerializable(typeof(LatencyRequest))]
[JsonSerializable(typeof(AccessTokenLifetimeRequest))]
[JsonSerializable(typeof(RotationRequest))]
[JsonSerializable(typeof(RegisterClientRequest))]
[JsonSerializable(typeof(RevokeUserResponse))]
[JsonSerializable(typeof(ControlError))]
[JsonSerializable(typeof(GoogleEmulatorStats))]
internal sealed partial class ControlJson : JsonSerializerContext;
