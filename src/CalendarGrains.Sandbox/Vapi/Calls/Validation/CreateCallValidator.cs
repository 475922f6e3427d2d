using System.Text.Json;

namespace CalendarGrains.Sandbox.Vapi.Calls.Validation;

/// <summary>The verdict on a <c>POST /call</c> body.</summary>
/// <param name="Request">The accepted request, when there is no error.</param>
/// <param name="FieldErrors">Validation messages (Vapi answers them as an array).</param>
/// <param name="RuleError">A rule Vapi checks after validation (Vapi answers it as a single string).</param>
internal sealed record CreateCallVerdict(CreateCallRequest? Request, IReadOnlyList<string> FieldErrors, string? RuleError);

/// <summary>
/// Validates a <c>CreateCallDto</c> the way Vapi does: first the DTO (member names, types, lengths, nested
/// credentials), answered as a list; then the rules between members, answered one at a time.
/// </summary>
internal static class CreateCallValidator
{
    public static CreateCallVerdict Validate(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Reject(["request body must be a JSON object"]);
        }

        var errors = new FieldErrors();
        errors.RejectUnknownMembers(body, "", KnownMembers.CreateCall);
        errors.OptionalString(body, "name", "", maxLength: 40);
        foreach (var id in (string[])["assistantId", "squadId", "workflowId", "phoneNumberId", "customerId", "assistantVersion"])
        {
            errors.OptionalString(body, id, "");
        }

        foreach (var nested in (string[])["squad", "squadOverrides", "workflow", "workflowOverrides", "phoneNumber", "transport"])
        {
            errors.OptionalObject(body, nested, "");
        }

        if (errors.OptionalObject(body, "assistant", "") is { } assistant)
        {
            AssistantRules.CheckAssistant(assistant, "assistant", errors);
        }

        if (errors.OptionalObject(body, "assistantOverrides", "") is { } overrides)
        {
            AssistantRules.CheckOverrides(overrides, "assistantOverrides", errors);
        }

        if (errors.OptionalObject(body, "customer", "") is { } customer)
        {
            CustomerRules.Check(customer, errors);
        }

        DateTimeOffset? earliestAt = null;
        if (errors.OptionalObject(body, "schedulePlan", "") is { } schedulePlan)
        {
            errors.OptionalIsoDate(schedulePlan, "earliestAt", "schedulePlan", out earliestAt, required: true);
            errors.OptionalIsoDate(schedulePlan, "latestAt", "schedulePlan", out _);
        }

        if (errors.Any)
        {
            return Reject(errors.Messages);
        }

        return CheckRules(body) is { } ruleError
            ? new CreateCallVerdict(null, [], ruleError)
            : new CreateCallVerdict(new CreateCallRequest(body.Clone(), earliestAt), [], null);
    }

    private static string? CheckRules(JsonElement body)
    {
        if (Has(body, "customers"))
        {
            // Note: batch calls answer a different shape (CallBatchResponse); the emulator places single calls only.
            return "The Vapi emulator does not place batch calls (`customers`); send one `customer` per call.";
        }

        if (!Has(body, "assistantId") && !Has(body, "assistant") && !Has(body, "squadId") && !Has(body, "squad") &&
            !Has(body, "workflowId") && !Has(body, "workflow"))
        {
            return "Couldn't Get Assistant. Need Either `assistant`, `assistantId`, `squad`, Or `squadId`.";
        }

        if (!Has(body, "phoneNumberId") && !Has(body, "phoneNumber"))
        {
            return "Couldn't Get Phone Number. Need Either `phoneNumberId` Or `phoneNumber`.";
        }

        if (!Has(body, "customerId") && !Has(body, "customer"))
        {
            return "Couldn't Get Customer. Need Either `customer` Or `customerId`.";
        }

        if (body.TryGetProperty("customer", out var customer) && customer.ValueKind == JsonValueKind.Object &&
            !Has(customer, "number") && !Has(customer, "sipUri") && !Has(body, "customerId"))
        {
            return "Couldn't Get Customer. Need Either `customer.number` Or `customer.sipUri`.";
        }

        return null;
    }

    private static bool Has(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null;

    private static CreateCallVerdict Reject(IReadOnlyList<string> messages) => new(null, messages, null);
}
