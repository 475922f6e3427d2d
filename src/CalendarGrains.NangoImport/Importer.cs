using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace CalendarGrains.NangoImport;

/// <summary>
/// Moves every connection of one Nango integration to CalendarGrains: list at Nango, then for each
/// (a bounded number at a time) check what CalendarGrains already has, fetch the refresh token from
/// Nango only when it is needed, and import it under the same id, end user and metadata.
/// </summary>
/// <remarks>
/// Idempotent: a connection already here (same end user, active) is left alone, or only its metadata
/// is brought in line; one here that needs reauth takes Nango's grant again. Nothing is deleted at
/// Nango. A failure is recorded with its reason and the run goes on; re-run to retry the failures.
/// </remarks>
public sealed class Importer(NangoSource nango, CalendarGrainsTarget target, ImportOptions options)
{
    /// <param name="onListed">Called once with how many connections Nango listed.</param>
    /// <param name="onItem">Called after each connection, from any thread.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public async Task<ImportReport> RunAsync(Action<int>? onListed, Action<ImportItem>? onItem, CancellationToken cancellationToken)
    {
        await target.EnsureUsableAsync(cancellationToken);
        var listed = await nango.ListAsync(options.Integration, options.PageSize, cancellationToken);
        onListed?.Invoke(listed.Count);
        var items = new ConcurrentBag<ImportItem>();
        await Parallel.ForEachAsync(
            listed,
            new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken },
            async (connection, ct) =>
            {
                ImportItem item;
                try
                {
                    item = await ImportOneAsync(connection, ct);
                }
                catch (HttpRequestException e)
                {
                    item = new ImportItem(connection.ConnectionId, ItemOutcome.Failed, $"HTTP request failed: {e.HttpRequestError}");
                }
                catch (TaskCanceledException) when (!ct.IsCancellationRequested)
                {
                    item = new ImportItem(connection.ConnectionId, ItemOutcome.Failed, "HTTP request timed out.");
                }

                items.Add(item);
                onItem?.Invoke(item);
            });
        return new ImportReport(options.Integration, options.DryRun, listed.Count, [.. items.OrderBy(item => item.ConnectionId, StringComparer.Ordinal)]);
    }

    private async Task<ImportItem> ImportOneAsync(NangoListedConnection connection, CancellationToken cancellationToken)
    {
        var id = connection.ConnectionId;
        // Nango's end user is optional; ours is not (one connection per end user): default to the connection id.
        var endUserId = connection.EndUserId ?? id;
        var metadata = connection.Metadata ?? [];
        var (existing, lookupFailure) = await target.GetAsync(id, cancellationToken);
        if (lookupFailure is not null)
        {
            return Failed(id, lookupFailure);
        }

        if (existing is not null)
        {
            if (existing.EndUserId != endUserId)
            {
                return Failed(id, $"conflict: the connection exists here for end user '{existing.EndUserId}', Nango has '{endUserId}'.");
            }

            if (existing.Status == "active")
            {
                if (JsonNode.DeepEquals(existing.Metadata, metadata))
                {
                    return new ImportItem(id, ItemOutcome.Unchanged);
                }

                var failure = options.DryRun ? null : await target.ReplaceMetadataAsync(id, metadata, cancellationToken);
                return failure is null ? new ImportItem(id, ItemOutcome.MetadataUpdated) : Failed(id, failure);
            }
        }

        var credentials = await nango.GetCredentialsAsync(options.Integration, id, cancellationToken);
        if (credentials.Failure is not null)
        {
            return Failed(id, credentials.Failure);
        }

        if (credentials.Value!.RefreshToken is null)
        {
            return Failed(id, "Nango holds no refresh token for this connection (it was connected without offline access).");
        }

        var outcome = existing is null ? ItemOutcome.Created : ItemOutcome.Reconnected;
        if (options.DryRun)
        {
            return new ImportItem(id, outcome);
        }

        var (result, importFailure) = await target.ImportAsync(id, endUserId, credentials.Value, connection.Metadata, options.Validate, cancellationToken);
        return result switch
        {
            TargetImportResult.Created => new ImportItem(id, ItemOutcome.Created),
            TargetImportResult.Reconnected => new ImportItem(id, ItemOutcome.Reconnected),
            _ => Failed(id, importFailure!),
        };
    }

    private static ImportItem Failed(string id, string reason) => new(id, ItemOutcome.Failed, reason);
}
