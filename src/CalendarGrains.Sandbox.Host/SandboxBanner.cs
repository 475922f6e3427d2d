using CalendarGrains.Tenants;

namespace CalendarGrains.Sandbox.Host;

/// <summary>
/// What a newcomer needs to start: the URLs, the generated keys and one command to try.
/// </summary>
/// <remarks>
/// Note: this writes to the console directly, not through logging, on purpose: the sandbox's
/// generated keys must be shown to the person at the terminal, and must never reach a log sink.
/// </remarks>
public static class SandboxBanner
{
    public static void Print(TextWriter output, Uri baseUrl, SandboxDefaults defaults, TenantCreated? demo)
    {
        var api = baseUrl.ToString().TrimEnd('/');
        var lines = new List<string>
        {
            "",
            "==================== CalendarGrains sandbox ====================",
            "WARNING: in-memory storage and an ephemeral encryption key:",
            "         NOTHING survives a restart. For real use: CalendarGrains.Silo on Redis (README).",
            $"API            {api}   (OpenAPI: {api}/openapi/v1.json)",
            $"Emulators      {api}/sandbox/google (Google OAuth, Calendar), {api}/sandbox/vapi (Vapi), {api}/sandbox/nango (Nango)",
            $"Console        {api}/console   (sign in with the admin key or a tenant key)",
        };
        if (defaults.GeneratedAdminKey is { } adminKey)
        {
            lines.Add($"Admin key      {adminKey}");
        }

        if (demo is not null)
        {
            lines.Add($"Demo tenant    {demo.Tenant.Id}");
            lines.Add($"Demo key       {demo.ApiKey.ApiKey}");
            lines.Add($"Try            curl -H \"Authorization: Bearer {demo.ApiKey.ApiKey}\" {api}/v1/tenants");
            lines.Add($"Connect        curl -H \"Authorization: Bearer {demo.ApiKey.ApiKey}\" -H 'content-type: application/json' \\");
            lines.Add($"                 -d '{{\"endUserId\":\"me\",\"returnUrl\":\"{api}{SandboxReturnPage.Path}\"}}' {api}/v1/connect-sessions");
            lines.Add("               then open its connectUrl in a browser and approve at the emulated Google.");
            lines.Add($"Place a call   POST {api}/v1/calls: the demo tenant dials through the Vapi emulator (README: \"Place a call\")");
        }

        lines.Add("New tenants    POST /v1/tenants (admin key): their Google client is registered at the emulated Google at once,");
        lines.Add("               so they can connect here (at the real Google you create the client in the Cloud console).");

        lines.Add("================================================================");
        lines.Add("");
        output.WriteLine(string.Join(Environment.NewLine, lines));
        output.Flush();
    }
}
