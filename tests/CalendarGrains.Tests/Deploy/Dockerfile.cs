using System.Text.Json;
using System.Text.RegularExpressions;

namespace CalendarGrains.Tests.Deploy;

/// <summary>The instructions of the repository's Dockerfile that the tests compare with the code.</summary>
public sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyList<(string Keyword, string Arguments)> instructions) => Instructions = instructions;

    /// <summary>Keyword (upper case) and arguments, continuation lines joined, comments dropped.</summary>
    public IReadOnlyList<(string Keyword, string Arguments)> Instructions { get; }

    /// <summary>The instructions of the last stage (the image that ships).</summary>
    public IEnumerable<(string Keyword, string Arguments)> FinalStage =>
        Instructions.Skip(Instructions.Select((instruction, index) => (instruction, index)).Last(x => x.instruction.Keyword == "FROM").index);

    public static Dockerfile Load()
    {
        var instructions = new List<(string, string)>();
        var pending = "";
        foreach (var raw in RepositoryFiles.Read("Dockerfile").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }

            var whole = (pending + line).Trim();
            pending = "";
            if (whole.Length > 0)
            {
                var space = whole.IndexOf(' ', StringComparison.Ordinal);
                instructions.Add((whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
            }
        }

        return new Dockerfile(instructions);
    }

    public IEnumerable<int> ExposedPorts => FinalStage
        .Where(i => i.Keyword == "EXPOSE")
        .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .Select(port => int.Parse(port.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The final stage's ENV as name/value pairs (the <c>NAME=value</c> form, quotes removed).</summary>
    public IReadOnlyDictionary<string, string> Environment => FinalStage
        .Where(i => i.Keyword == "ENV")
        .SelectMany(i => EnvPair().Matches(i.Arguments))
        .ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim('"'));

    /// <summary>The exec-form command of HEALTHCHECK ... CMD [...].</summary>
    public IReadOnlyList<string> HealthCheckCommand
    {
        get
        {
            var healthCheck = FinalStage.Single(i => i.Keyword == "HEALTHCHECK").Arguments;
            var json = healthCheck[(healthCheck.IndexOf("CMD ", StringComparison.Ordinal) + 4)..];
            return JsonSerializer.Deserialize<string[]>(json)!;
        }
    }

    public IReadOnlyList<string> Entrypoint =>
        JsonSerializer.Deserialize<string[]>(FinalStage.Single(i => i.Keyword == "ENTRYPOINT").Arguments)!;

    [GeneratedRegex("""(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>"[^"]*"|\S*)""")]
    private static partial Regex EnvPair();
}
