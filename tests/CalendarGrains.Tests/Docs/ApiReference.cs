using System.Text;
using System.Text.Json;

namespace CalendarGrains.Tests.Docs;

/// <summary>
/// The generated part of docs/api.md, written from the served OpenAPI document: every route with
/// its key, summary, body and answer, then every shape with its members. The prose above it in
/// docs/api.md says what the document cannot (semantics, errors, limits).
/// </summary>
public static class ApiReference
{
    public const string Begin = "<!-- BEGIN GENERATED from /openapi/v1.json by tests/CalendarGrains.Tests/Docs (ApiReferenceTests): do not edit by hand; `CG_UPDATE_API_DOC=1 dotnet test --project tests/CalendarGrains.Tests -- --filter-class \"*ApiReferenceTests\"` rewrites it -->";
    public const string End = "<!-- END GENERATED -->";

    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];

    /// <param name="openApi">The OpenAPI document.</param>
    /// <param name="keys">The key each operation (by operationId) requires, as the authorization policies say.</param>
    public static string Render(JsonElement openApi, IReadOnlyDictionary<string, string> keys)
    {
        var text = new StringBuilder();
        text.Append(Begin).Append('\n');
        text.Append("\n## Routes\n\n");
        text.Append("`key`: the API key the route requires (admin, tenant, or either); `—`: none of ours (the\n");
        text.Append("route says what it takes: a person's browser, `X-Vapi-Secret`, client credentials, the Nango secret key).\n");
        var operations = Operations(openApi).ToList();
        foreach (var tag in operations.Select(o => o.Tag).Distinct())
        {
            text.Append($"\n### {tag}\n\n| route | key | what | body | answer |\n|---|---|---|---|---|\n");
            foreach (var (_, method, path, operation) in operations.Where(o => o.Tag == tag))
            {
                var id = operation.TryGetProperty("operationId", out var operationId) ? operationId.GetString()! : "";
                var summary = operation.TryGetProperty("summary", out var s) ? s.GetString() : "";
                text.Append($"| `{method.ToUpperInvariant()} {path}` | {keys.GetValueOrDefault(id, "—")} | {Cell(summary)} | {Body(operation)} | {Answers(operation)} |\n");
            }
        }

        text.Append("\n## Shapes\n\nJSON members in camelCase; `?` after a type: it may be `null`; *required*: always present (in a request: must be sent).\n");
        foreach (var schema in openApi.GetProperty("components").GetProperty("schemas").EnumerateObject())
        {
            text.Append($"\n### {schema.Name}\n\n");
            if (schema.Value.TryGetProperty("description", out var description))
            {
                text.Append(Cell(description.GetString())).Append("\n\n");
            }

            if (schema.Value.TryGetProperty("enum", out var values))
            {
                text.Append("One of: ").Append(string.Join(", ", values.EnumerateArray().Select(v => $"`{v}`"))).Append(".\n");
                continue;
            }

            if (!schema.Value.TryGetProperty("properties", out var properties))
            {
                text.Append($"{TypeOf(schema.Value)}.\n");
                continue;
            }

            var required = schema.Value.TryGetProperty("required", out var r) ? r.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
            text.Append("| member | type | |\n|---|---|---|\n");
            foreach (var member in properties.EnumerateObject())
            {
                var notes = new List<string>();
                if (required.Contains(member.Name))
                {
                    notes.Add("*required*");
                }

                notes.AddRange(Constraints(member.Value));
                if (member.Value.TryGetProperty("description", out var memberDescription))
                {
                    notes.Add(Cell(memberDescription.GetString()));
                }

                text.Append($"| `{member.Name}` | {TypeOf(member.Value)} | {string.Join("; ", notes)} |\n");
            }
        }

        text.Append('\n').Append(End);
        return text.ToString();
    }

    private static IEnumerable<(string Tag, string Method, string Path, JsonElement Operation)> Operations(JsonElement openApi)
    {
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
        {
            foreach (var method in Methods)
            {
                if (path.Value.TryGetProperty(method, out var operation))
                {
                    var tag = operation.TryGetProperty("tags", out var tags) ? tags[0].GetString()! : "Other";
                    yield return (tag, method, path.Name, operation);
                }
            }
        }
    }

    private static string Body(JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var body))
        {
            return "";
        }

        var content = body.GetProperty("content").EnumerateObject().First();
        var optional = body.TryGetProperty("required", out var required) && required.GetBoolean() ? "" : " (optional)";
        var schema = content.Value.TryGetProperty("schema", out var s) ? TypeOf(s) : "";
        return content.Name == "application/json" ? schema + optional : $"`{content.Name}` {schema}{optional}".Trim();
    }

    private static string Answers(JsonElement operation) => string.Join("<br>", operation.GetProperty("responses").EnumerateObject().Select(response =>
    {
        var schema = response.Value.TryGetProperty("content", out var content) && content.EnumerateObject().FirstOrDefault() is { Value.ValueKind: JsonValueKind.Object } first
            && first.Value.TryGetProperty("schema", out var s) ? " " + TypeOf(s) : "";
        return response.Name + schema;
    }));

    /// <summary>A schema as a short type: <c>string?</c>, <c>[TenantView](#tenantview)[]</c>, <c>date-time</c>.</summary>
    private static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            return name is "JsonElement" ? "any JSON" : name is "JsonArray" ? "JSON array" : $"[{name}](#{name.ToLowerInvariant()})";
        }

        if (schema.TryGetProperty("oneOf", out var oneOf) || schema.TryGetProperty("anyOf", out oneOf))
        {
            var options = oneOf.EnumerateArray().ToList();
            var nullable = options.Any(IsNull);
            var rest = options.Where(o => !IsNull(o)).Select(TypeOf).ToList();
            return string.Join(" or ", rest) + (nullable ? "?" : "");
        }

        var types = schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!]
            : [];
        var nullableType = types.Remove("null");
        var main = types.FirstOrDefault() switch
        {
            "array" => (schema.TryGetProperty("items", out var items) ? TypeOf(items) : "any") + "[]",
            "object" when schema.TryGetProperty("additionalProperties", out var values) => $"map of {TypeOf(values)}",
            "string" when schema.TryGetProperty("format", out var format) => format.GetString()!,
            "integer" or "number" when schema.TryGetProperty("format", out var format) => format.GetString()!,
            null => "any JSON",
            var other => other,
        };
        return main + (nullableType ? "?" : "");
    }

    private static bool IsNull(JsonElement schema) => schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "null";

    private static IEnumerable<string> Constraints(JsonElement schema)
    {
        foreach (var (name, label) in new[] { ("minLength", "min length"), ("maxLength", "max length"), ("minimum", "min"), ("maximum", "max"), ("minItems", "min items"), ("maxItems", "max items"), ("pattern", "pattern") })
        {
            if (schema.TryGetProperty(name, out var value))
            {
                yield return $"{label} {(value.ValueKind == JsonValueKind.String ? $"`{value.GetString()}`" : value.ToString())}";
            }
        }
    }

    private static string Cell(string? text) => (text ?? "").Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();
}
