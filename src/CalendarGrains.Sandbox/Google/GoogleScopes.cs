namespace CalendarGrains.Sandbox.Google;

/// <summary>Scope names as Google hands them back.</summary>
internal static class GoogleScopes
{
    public const string OpenId = "openid";
    public const string Email = "https://www.googleapis.com/auth/userinfo.email";
    public const string Profile = "https://www.googleapis.com/auth/userinfo.profile";

    /// <summary>
    /// Splits a space-separated scope parameter. Google accepts the OpenID short names
    /// <c>email</c> and <c>profile</c> but answers with their full URLs, so they are expanded here.
    /// </summary>
    public static IReadOnlyList<string> Parse(string? scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            return [];
        }

        return scope
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(Expand)
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }

    public static string Join(IEnumerable<string> scopes) => string.Join(' ', scopes);

    private static string Expand(string scope) => scope switch
    {
        "email" => Email,
        "profile" => Profile,
        _ => scope,
    };
}
