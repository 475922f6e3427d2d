namespace CalendarGrains.Connections;

/// <summary>A connection's metadata: a free JSON object the tenant keeps beside the grant, bounded in size.</summary>
public static class ConnectionMetadata
{
    /// <summary>
    /// The most a connection stores (UTF-8 bytes of the JSON). Checked on what is stored, after a
    /// merge, not only on a request's body: repeated merges must not grow a connection without end.
    /// </summary>
    public const int MaxBytes = 16 * 1024;
}

/// <summary>What a metadata write did; <see cref="Connection"/> is the connection after an update.</summary>
[GenerateSerializer, Immutable, Alias("cg.MetadataWrite")]
public sealed record MetadataWrite(
    [property: Id(0)] MetadataWriteResult Result,
    [property: Id(1)] ConnectionView? Connection = null);

public enum MetadataWriteResult
{
    Updated,

    /// <summary>No such connection for this tenant.</summary>
    NotFound,

    /// <summary>The metadata, as it would be stored, is over <see cref="ConnectionMetadata.MaxBytes"/>; nothing changed.</summary>
    TooLarge,
}
