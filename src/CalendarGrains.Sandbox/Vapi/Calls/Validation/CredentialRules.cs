using System.Text.Json;

namespace CalendarGrains.Sandbox.Vapi.Calls.Validation;

/// <summary>
/// Checks a <c>credentials</c> array (of an assistant or of assistant overrides), discriminated by
/// <c>provider</c>. The providers our service emits are checked member by member; the others only by name.
/// </summary>
internal static class CredentialRules
{
    private const int MaxNameLength = 40;

    public static void Check(JsonElement owner, string ownerPath, FieldErrors errors)
    {
        if (!owner.TryGetProperty("credentials", out var credentials) || credentials.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        var path = FieldErrors.PathOf(ownerPath, "credentials");
        if (credentials.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path, "must be an array");
            return;
        }

        var index = 0;
        foreach (var item in credentials.EnumerateArray())
        {
            CheckItem(item, $"{path}.{index}", errors);
            index++;
        }
    }

    private static void CheckItem(JsonElement item, string path, FieldErrors errors)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object");
            return;
        }

        errors.OptionalString(item, "name", path, maxLength: MaxNameLength);
        switch (errors.OneOf(item, "provider", path, KnownMembers.CredentialProviders))
        {
            case "google.calendar.oauth2-authorization" or "google.sheets.oauth2-authorization" or "slack.oauth2-authorization":
                errors.RequiredString(item, "authorizationId", path);
                break;
            case "custom-credential":
                CheckCustomPlan(item, path, errors);
                break;
            case "webhook":
                errors.RequiredObject(item, "authenticationPlan", path);
                break;
            case "ghl.oauth2-authorization":
                errors.RequiredObject(item, "authenticationSession", path);
                break;
        }
    }

    private static void CheckCustomPlan(JsonElement item, string path, FieldErrors errors)
    {
        if (errors.RequiredObject(item, "authenticationPlan", path) is not { } plan)
        {
            return;
        }

        var planPath = FieldErrors.PathOf(path, "authenticationPlan");
        switch (errors.OneOf(plan, "type", planPath, KnownMembers.AuthenticationPlanTypes))
        {
            case "oauth2":
                if (errors.RequiredString(plan, "url", planPath) is not null)
                {
                    errors.OptionalUrl(plan, "url", planPath);
                }

                errors.RequiredString(plan, "clientId", planPath);
                errors.RequiredString(plan, "clientSecret", planPath);
                errors.OptionalString(plan, "scope", planPath);
                break;
            case "hmac":
                errors.RequiredString(plan, "secretKey", planPath);
                errors.OneOf(plan, "algorithm", planPath, KnownMembers.HmacAlgorithms);
                break;
            case "bearer":
                errors.RequiredString(plan, "token", planPath);
                break;
        }
    }
}
