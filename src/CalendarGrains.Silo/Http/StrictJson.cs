using System.Runtime.InteropServices;
using System.Text.Json;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// JSON whose every string can be read. JSON may escape half of a UTF-16 surrogate pair
/// (<c>"\ud800"</c>): the document parses, but reading that string throws, and storing it makes
/// every later answer that includes it fail to serialize. Bodies are checked once, as they
/// arrive, so such text is the caller's 400 instead of a 500 now or later.
/// </summary>
public static class StrictJson
{
    /// <summary>Parses a request body; text with a lone surrogate is a <see cref="JsonException"/>, as any other malformed JSON.</summary>
    public static async Task<JsonDocument> ParseAsync(Stream body, CancellationToken cancellationToken)
    {
        var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        if (!IsReadable(document.RootElement))
        {
            document.Dispose();
            throw new JsonException("The JSON holds a string that is not valid UTF-16 (a lone surrogate escape).");
        }

        return document;
    }

    /// <summary>True when every string and member name in <paramref name="element"/> can be read as a .NET string.</summary>
    public static bool IsReadable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (!IsReadableText(JsonMarshal.GetRawUtf8PropertyName(member), () => member.Name) || !IsReadable(member.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!IsReadable(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.String:
                return IsReadableText(JsonMarshal.GetRawUtf8Value(element), element.GetString);
            default:
                return true;
        }
    }

    /// <remarks>Note: only an escaped string can hold a lone surrogate (the parser has checked the UTF-8), so the rest are not decoded.</remarks>
    private static bool IsReadableText(ReadOnlySpan<byte> raw, Func<string?> read)
    {
        if (!raw.Contains((byte)'\\'))
        {
            return true;
        }

        try
        {
            read();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
