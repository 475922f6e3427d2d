using System.ComponentModel.DataAnnotations;

namespace CalendarGrains.Silo.Validation;

/// <summary>An absolute http(s) URL, or a list of them.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter | AttributeTargets.Field)]
public sealed class HttpUrlAttribute : ValidationAttribute
{
    public HttpUrlAttribute()
        : base("The {0} field must be an absolute http or https URL.")
    {
    }

    /// <summary>Also accept "" (a setting that an empty value turns off).</summary>
    public bool AllowEmpty { get; init; }

    public override bool IsValid(object? value) => value switch
    {
        null => true,
        "" when AllowEmpty => true,
        string url => IsHttpUrl(url),
        IEnumerable<string> urls => urls.All(IsHttpUrl),
        _ => false,
    };

    public static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && url.Length <= 2048;
}
