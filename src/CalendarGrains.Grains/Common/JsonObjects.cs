using System.Text.Json.Nodes;

namespace CalendarGrains.Common;

/// <summary>Metadata is a free JSON object; a merge replaces the top-level members it names (Nango's "update").</summary>
public static class JsonObjects
{
    public static string Merge(string? existingJson, string changesJson)
    {
        var merged = existingJson is null ? new JsonObject() : JsonNode.Parse(existingJson)!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(changesJson)!.AsObject())
        {
            merged[name] = value?.DeepClone();
        }

        return merged.ToJsonString();
    }

    /// <summary>The size a JSON text is stored at (UTF-8 bytes), which the caps are stated in.</summary>
    public static int Utf8Length(string json) => System.Text.Encoding.UTF8.GetByteCount(json);
}
