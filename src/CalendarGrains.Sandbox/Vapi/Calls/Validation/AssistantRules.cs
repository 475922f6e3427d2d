using System.Text.Json;

namespace CalendarGrains.Sandbox.Vapi.Calls.Validation;

/// <summary>Checks a transient <c>assistant</c> and <c>assistantOverrides</c>, where our service puts credentials, metadata and the server.</summary>
internal static class AssistantRules
{
    public static void CheckOverrides(JsonElement overrides, string path, FieldErrors errors)
    {
        errors.RejectUnknownMembers(overrides, path, KnownMembers.AssistantOverrides);
        CheckCommon(overrides, path, errors);
        errors.OptionalObject(overrides, "variableValues", path);
        errors.OptionalObject(overrides, "metadata", path);
    }

    /// <summary>Note: a transient assistant's DTO is huge; only the members that decide credentials and the server are checked.</summary>
    public static void CheckAssistant(JsonElement assistant, string path, FieldErrors errors) =>
        CheckCommon(assistant, path, errors);

    private static void CheckCommon(JsonElement owner, string path, FieldErrors errors)
    {
        errors.OptionalString(owner, "name", path, maxLength: 40);
        CredentialRules.Check(owner, path, errors);
        if (errors.OptionalObject(owner, "server", path) is { } server)
        {
            errors.OptionalUrl(server, "url", FieldErrors.PathOf(path, "server"));
        }
    }
}
