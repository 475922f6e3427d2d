using System.Collections.Frozen;

namespace CalendarGrains.Sandbox.Vapi.Calls.Validation;

/// <summary>
/// The members Vapi's DTOs declare (from <c>@vapi-ai/server-sdk</c> 2.0.1). Vapi rejects any other
/// member of these objects, so a typo or a field in the wrong place fails here as it would there.
/// </summary>
internal static class KnownMembers
{
    /// <summary><c>CreateCallDto</c>. Note: no <c>metadata</c> and no <c>credentials</c>: those belong in <c>assistantOverrides</c>.</summary>
    public static FrozenSet<string> CreateCall { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "assistantVersion", "transport", "customers", "name", "schedulePlan",
        "assistantId", "assistant", "assistantOverrides",
        "squadId", "squad", "squadOverrides",
        "workflowId", "workflow", "workflowOverrides",
        "phoneNumberId", "phoneNumber", "customerId", "customer");

    /// <summary><c>CreateCustomerDto</c>.</summary>
    public static FrozenSet<string> Customer { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "numberE164CheckEnabled", "extension", "assistantOverrides", "squadOverrides",
        "number", "sipUri", "name", "email", "externalId");

    /// <summary><c>AssistantOverrides</c>.</summary>
    public static FrozenSet<string> AssistantOverrides { get; } = FrozenSet.Create(
        StringComparer.Ordinal,
        "transcriber", "model", "voice", "firstMessage", "firstMessageInterruptionsEnabled", "firstMessageMode",
        "voicemailDetection", "clientMessages", "serverMessages", "maxDurationSeconds", "backgroundSound",
        "modelOutputInMessagesEnabled", "transportConfigurations", "observabilityPlan", "credentials", "hooks",
        "tools:append", "variableValues", "name", "voicemailMessage", "endCallMessage", "endCallPhrases",
        "compliancePlan", "metadata", "backgroundSpeechDenoisingPlan", "analysisPlan", "artifactPlan",
        "startSpeakingPlan", "stopSpeakingPlan", "monitorPlan", "credentialIds", "server", "keypadInputPlan");

    /// <summary>The <c>provider</c> values of <c>AssistantOverridesCredentialsItem</c>, in the SDK's order.</summary>
    public static IReadOnlyList<string> CredentialProviders { get; } =
    [
        "11labs", "anthropic", "anthropic-bedrock", "anyscale", "assembly-ai", "azure-openai", "azure",
        "byo-sip-trunk", "cartesia", "cerebras", "cloudflare", "custom-llm", "deepgram", "deepinfra", "deep-seek",
        "gcp", "gladia", "gohighlevel", "google", "groq", "inflection-ai", "langfuse", "lmnt", "make", "openai",
        "openrouter", "perplexity-ai", "playht", "rime-ai", "runpod", "s3", "s3-compatible", "supabase",
        "smallest-ai", "tavus", "together-ai", "twilio", "vonage", "webhook", "custom-credential", "xai",
        "microsoft", "neuphonic", "hume", "mistral", "speechmatics", "soniox", "google.calendar.oauth2-client",
        "google.calendar.oauth2-authorization", "google.sheets.oauth2-authorization", "slack.oauth2-authorization",
        "ghl.oauth2-authorization", "inworld", "minimax", "wellsaid", "email", "slack-webhook",
    ];

    /// <summary>The <c>type</c> values of a custom credential's <c>authenticationPlan</c>.</summary>
    public static IReadOnlyList<string> AuthenticationPlanTypes { get; } = ["oauth2", "hmac", "bearer"];

    public static IReadOnlyList<string> HmacAlgorithms { get; } = ["sha256", "sha512", "sha1"];
}
