using System.Text.Json;
using CalendarGrains.Silo.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Connections;

/// <summary>Connection metadata: a JSON object of at most 16 KiB.</summary>
public static class MetadataJson
{
    public const int MaxBytes = 16 * 1024;

    public static bool TryRead(JsonElement? metadata, out string? json, out ProblemHttpResult? problem)
    {
        (json, problem) = (null, null);
        if (metadata is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            problem = Problems.InvalidField("metadata", "metadata must be a JSON object.");
            return false;
        }

        json = element.GetRawText();
        if (System.Text.Encoding.UTF8.GetByteCount(json) > MaxBytes)
        {
            problem = Problems.InvalidField("metadata", $"metadata must be at most {MaxBytes / 1024} KiB.");
            return false;
        }

        return true;
    }
}
