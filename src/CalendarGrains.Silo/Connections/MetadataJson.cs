using System.Text.Json;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CalendarGrains.Silo.Connections;

/// <summary>Connection metadata: a JSON object of at most 16 KiB.</summary>
public static class MetadataJson
{
    public const int MaxBytes = ConnectionMetadata.MaxBytes;

    public static string TooLargeMessage => $"metadata must be at most {MaxBytes / 1024} KiB.";

    /// <summary>The message when a merge would take the stored metadata over the cap.</summary>
    public static string MergedTooLargeMessage => $"metadata, merged into what the connection has, would be over {MaxBytes / 1024} KiB; nothing was changed.";

    public static bool IsTooLarge(string json) => System.Text.Encoding.UTF8.GetByteCount(json) > MaxBytes;

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

        if (!StrictJson.IsReadable(element))
        {
            problem = Problems.InvalidField("metadata", "metadata holds a string that is not valid UTF-16 (a lone surrogate escape).");
            return false;
        }

        json = element.GetRawText();
        if (IsTooLarge(json))
        {
            problem = Problems.InvalidField("metadata", TooLargeMessage);
            return false;
        }

        return true;
    }
}
