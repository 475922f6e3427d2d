using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CalendarGrains.Sandbox.Google.Calendar;

/// <summary>
/// events.patch as Google does it: the body is merged into the event (objects member by member, so
/// <c>start</c> keeps a <c>date</c> the patch does not null out; arrays replaced; a null member removed),
/// and the result is checked like an insert. Switching a timed event to all-day therefore needs
/// <c>"dateTime": null</c>, or Google answers 400 "Invalid start time."
/// </summary>
internal static class EventPatching
{
    public static (CalendarEventSeed? Seed, CalendarApiError? Error) Apply(StoredEvent stored, JsonObject patch)
    {
        var merged = Merge(ToBody(stored), patch) as JsonObject ?? [];
        EventInsertBody? body;
        try
        {
            body = merged.Deserialize(CalendarWireJson.Default.EventInsertBody);
        }
        catch (JsonException)
        {
            return (null, CalendarApiError.ParseError);
        }

        if (body is null)
        {
            return (null, CalendarApiError.ParseError);
        }

        var error = EventRules.Parse(body, out var seed);
        return (seed, error);
    }

    /// <summary>RFC 7386 merge: what Google's patch semantics come to for JSON bodies.</summary>
    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch?.DeepClone();
        }

        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : [];
        foreach (var (name, value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
            }
            else
            {
                result[name] = Merge(result[name], value);
            }
        }

        return result;
    }

    /// <summary>The writable members of a stored event, as a client would send them.</summary>
    private static JsonObject ToBody(StoredEvent stored)
    {
        var content = stored.Content;
        var body = new JsonObject
        {
            ["summary"] = content.Summary,
            ["description"] = content.Description,
            ["location"] = content.Location,
            ["start"] = Time(content.Start),
            ["end"] = Time(content.End),
            ["transparency"] = content.Transparent ? "transparent" : null,
            ["status"] = stored.Status,
        };
        if (content.Attendees.Count > 0)
        {
            body["attendees"] = new JsonArray([.. content.Attendees.Select(a => (JsonNode)new JsonObject
            {
                ["email"] = a.Email,
                ["displayName"] = a.DisplayName,
                ["optional"] = a.Optional ? true : null,
            })]);
        }

        if (content.PrivateProperties.Count > 0 || content.SharedProperties.Count > 0)
        {
            body["extendedProperties"] = new JsonObject
            {
                ["private"] = Map(content.PrivateProperties),
                ["shared"] = Map(content.SharedProperties),
            };
        }

        // Members that are null here stand for "absent": drop them, so a merge cannot mistake them for values.
        foreach (var name in body.Where(member => member.Value is null).Select(member => member.Key).ToList())
        {
            body.Remove(name);
        }

        return body;
    }

    private static JsonObject Time(CalendarEventTime time)
    {
        var body = new JsonObject();
        if (time.Date is { } date)
        {
            body["date"] = CalendarTime.FormatDate(date);
        }

        if (time.DateTime is { } instant)
        {
            body["dateTime"] = instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        }

        if (time.TimeZone is { } zone)
        {
            body["timeZone"] = zone;
        }

        return body;
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> values)
    {
        var map = new JsonObject();
        foreach (var (key, value) in values)
        {
            map[key] = value;
        }

        return map;
    }
}
