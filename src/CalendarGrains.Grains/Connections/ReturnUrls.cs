namespace CalendarGrains.Connections;

/// <summary>The tenant's return URLs: which are allowed, and how results are added to them.</summary>
public static class ReturnUrls
{
    /// <summary>
    /// Allowed when scheme, host, port and path equal one of the tenant's URLs; the query may
    /// differ (the tenant's own parameters survive, ours are added).
    /// </summary>
    public static bool IsAllowed(string returnUrl, IEnumerable<string> allowed) =>
        Uri.TryCreate(returnUrl, UriKind.Absolute, out var candidate)
        && allowed.Any(entry => Uri.TryCreate(entry, UriKind.Absolute, out var allowedUri)
            && Uri.Compare(candidate, allowedUri, UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0);

    public static string With(string returnUrl, params (string Name, string? Value)[] parameters)
    {
        var builder = new UriBuilder(returnUrl);
        var added = string.Join('&', parameters.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Name)}={Uri.EscapeDataString(p.Value!)}"));
        builder.Query = string.IsNullOrEmpty(builder.Query) || builder.Query == "?" ? added : builder.Query.TrimStart('?') + "&" + added;
        return builder.Uri.AbsoluteUri;
    }
}
