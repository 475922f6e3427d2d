using System.Text.Json.Serialization;

namespace CalendarGrains.NangoImport;

[JsonConverter(typeof(JsonStringEnumConverter<ItemOutcome>))]
public enum ItemOutcome
{
    /// <summary>A new connection here, with Nango's id.</summary>
    Created,

    /// <summary>It was here but needed reauth; Nango's grant replaced the dead one (same id).</summary>
    Reconnected,

    /// <summary>It was here; only its metadata differed from Nango's and was replaced.</summary>
    MetadataUpdated,

    /// <summary>Already here, same end user and metadata: nothing to do (a re-run).</summary>
    Unchanged,

    /// <summary>Not imported; see the reason.</summary>
    Failed,
}

/// <summary>What happened to one connection. The reason never carries a token.</summary>
public sealed record ImportItem(string ConnectionId, ItemOutcome Outcome, string? Reason = null);

/// <summary>The whole run: counts, and every failure with its reason. In a dry run, what would have happened.</summary>
public sealed record ImportReport(string Integration, bool DryRun, int Listed, IReadOnlyList<ImportItem> Items)
{
    public int Count(ItemOutcome outcome) => Items.Count(item => item.Outcome == outcome);

    [JsonIgnore]
    public IEnumerable<ImportItem> Failures => Items.Where(item => item.Outcome == ItemOutcome.Failed).OrderBy(item => item.ConnectionId, StringComparer.Ordinal);

    public IReadOnlyDictionary<string, int> Counts =>
        Enum.GetValues<ItemOutcome>().ToDictionary(outcome => outcome.ToString(), Count);

    public bool Succeeded => Count(ItemOutcome.Failed) == 0;
}
