using System.Globalization;
using Spectre.Console;

namespace CalendarGrains.NangoImport;

/// <summary>How a run shows itself: a progress bar on a terminal, plain counts otherwise.</summary>
internal interface IImportView
{
    Task<ImportReport> RunAsync(ImportOptions options, Importer importer, CancellationToken cancellationToken);

    void ShowReport(ImportReport report);
}

/// <summary>Lines a log or CI can read: one when listed, one per tenth done, then the report.</summary>
internal sealed class PlainView(TextWriter output) : IImportView
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ItemOutcome, int> _counts = [];
    private int _total;
    private int _done;

    public Task<ImportReport> RunAsync(ImportOptions options, Importer importer, CancellationToken cancellationToken)
    {
        output.WriteLine($"{(options.DryRun ? "DRY RUN: nothing will change. " : "")}Reading connections of integration '{options.Integration}' from {options.NangoUrl}");
        return importer.RunAsync(
            listed =>
            {
                _total = listed;
                output.WriteLine($"Nango lists {listed} connections; importing to {options.TargetUrl} ({options.Concurrency} at a time)");
            },
            item =>
            {
                lock (_gate)
                {
                    _counts[item.Outcome] = _counts.GetValueOrDefault(item.Outcome) + 1;
                    _done++;
                    var step = Math.Max(1, _total / 10);
                    if (_done % step == 0 || _done == _total)
                    {
                        output.WriteLine($"progress {_done}/{_total}: {Summary(_counts)}");
                    }
                }
            },
            cancellationToken);
    }

    public void ShowReport(ImportReport report)
    {
        output.WriteLine($"{(report.DryRun ? "Would be" : "Done")}: {report.Listed} listed; {Summary(Enum.GetValues<ItemOutcome>().ToDictionary(o => o, report.Count))}");
        foreach (var failure in report.Failures)
        {
            output.WriteLine($"FAILED {failure.ConnectionId}: {failure.Reason}");
        }
    }

    internal static string Summary(IReadOnlyDictionary<ItemOutcome, int> counts) =>
        string.Join(", ", Enum.GetValues<ItemOutcome>().Select(o => $"{Name(o)} {counts.GetValueOrDefault(o).ToString(CultureInfo.InvariantCulture)}"));

    internal static string Name(ItemOutcome outcome) => outcome switch
    {
        ItemOutcome.MetadataUpdated => "metadata updated",
        _ => outcome.ToString().ToLowerInvariant(),
    };
}

/// <summary>A Spectre.Console progress bar while it runs, then a summary and a table of failures.</summary>
internal sealed class TerminalView(IAnsiConsole console) : IImportView
{
    public async Task<ImportReport> RunAsync(ImportOptions options, Importer importer, CancellationToken cancellationToken)
    {
        if (options.DryRun)
        {
            console.MarkupLine("[yellow]DRY RUN[/]: nothing will change.");
        }

        ImportReport? report = null;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask($"Listing {Markup.Escape(options.Integration)} at Nango", maxValue: 1);
                var failed = 0;
                report = await importer.RunAsync(
                    listed =>
                    {
                        task.MaxValue = Math.Max(1, listed);
                        task.Description = $"Importing {listed} connections";
                    },
                    item =>
                    {
                        if (item.Outcome == ItemOutcome.Failed)
                        {
                            task.Description = $"Importing ([red]{Interlocked.Increment(ref failed)} failed[/])";
                        }

                        task.Increment(1);
                    },
                    cancellationToken);
                task.Value = task.MaxValue;
            });
        return report!;
    }

    public void ShowReport(ImportReport report)
    {
        var summary = new Table().AddColumn("outcome").AddColumn(new TableColumn("connections").RightAligned());
        foreach (var outcome in Enum.GetValues<ItemOutcome>())
        {
            summary.AddRow(PlainView.Name(outcome), report.Count(outcome).ToString(CultureInfo.InvariantCulture));
        }

        console.Write(summary);
        if (!report.Succeeded)
        {
            var failures = new Table().AddColumn("connection").AddColumn("why");
            foreach (var failure in report.Failures)
            {
                failures.AddRow(Markup.Escape(failure.ConnectionId), Markup.Escape(failure.Reason ?? ""));
            }

            console.MarkupLine("[red]Not imported[/] (fix and re-run; what is done is skipped):");
            console.Write(failures);
        }
    }
}
