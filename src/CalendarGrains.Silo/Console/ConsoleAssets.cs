using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.Extensions.FileProviders;

namespace CalendarGrains.Silo.WebConsole;

/// <summary>
/// The console's stylesheet and script, embedded in this assembly and served by us under
/// <see cref="Path"/> (no CDN, no build step). Their URLs carry a hash of the content, so a
/// browser may keep them for a year and still never runs a stale script after an upgrade.
/// </summary>
public sealed class ConsoleAssets
{
    public const string Path = "/console/assets";
    private const string ResourceNamespace = "CalendarGrains.Silo.Console.Assets";

    private readonly FrozenDictionary<string, string> _versions;

    public ConsoleAssets()
    {
        Files = new EmbeddedFileProvider(typeof(ConsoleAssets).Assembly, ResourceNamespace);
        _versions = Files.GetDirectoryContents("").ToFrozenDictionary(file => file.Name, Version, StringComparer.Ordinal);
    }

    public IFileProvider Files { get; }

    /// <summary>The URL of an asset, with its content version.</summary>
    public string Url(string name) => _versions.TryGetValue(name, out var version)
        ? $"{Path}/{name}?v={version}"
        : throw new InvalidOperationException($"The console has no asset '{name}'.");

    private static string Version(IFileInfo file)
    {
        using var content = file.CreateReadStream();
        return Convert.ToHexStringLower(SHA256.HashData(content))[..12];
    }
}
