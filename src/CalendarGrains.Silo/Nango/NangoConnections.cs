using System.Text.Json;
using CalendarGrains.Connections;

namespace CalendarGrains.Silo.Nango;

/// <summary>Our connections in Nango's shapes.</summary>
public static class NangoConnections
{
    /// <summary>The provider config key (Nango's "integration id") of our one integration.</summary>
    public const string ProviderConfigKey = "google-calendar";

    /// <summary>Nango's provider name for Google Calendar.</summary>
    public const string Provider = "google-calendar";

    /// <summary>Nango refreshes a token with less than 15 minutes left before handing it out; so do we here.</summary>
    public const int MinValiditySeconds = 15 * 60;

    private static readonly IReadOnlyDictionary<string, string> NoTags = new Dictionary<string, string>();
    private static readonly IReadOnlyList<NangoActiveError> NoErrors = [];
    private static readonly IReadOnlyList<NangoActiveError> AuthError = [new("auth", "")];

    public static bool IsOurs(string? providerConfigKey) => string.Equals(providerConfigKey, ProviderConfigKey, StringComparison.Ordinal);

    /// <param name="view">The connection.</param>
    /// <param name="token">The token to show; null shows <c>credentials: {}</c> (as Nango does in error payloads).</param>
    /// <param name="now">The product clock, for <c>expires_in</c>.</param>
    public static NangoConnectionFull Full(ConnectionView view, TokenIssued? token, DateTimeOffset now) => new(
        NangoFormats.NumericId(view.Id),
        view.Id,
        ProviderConfigKey,
        Provider,
        ErrorsOf(view),
        EndUserOf(view),
        NoTags,
        MetadataOf(view),
        NoTags,
        WebhookUrlOverride: null,
        NangoFormats.WithOffset(view.CreatedAt),
        NangoFormats.WithOffset(view.UpdatedAt),
        LastFetchedAt: null, // Note: reads are not recorded (a read never writes to storage).
        token is null ? new Dictionary<string, string>() : Credentials(token, now));

    public static NangoConnectionSummary Summary(ConnectionView view) => new(
        NangoFormats.NumericId(view.Id),
        view.Id,
        ProviderConfigKey,
        Provider,
        ErrorsOf(view),
        EndUserOf(view),
        NoTags,
        MetadataOf(view),
        NangoFormats.Iso(view.CreatedAt));

    private static NangoOAuth2Credentials Credentials(TokenIssued token, DateTimeOffset now)
    {
        var expiresIn = Math.Max(0, (int)(token.ExpiresAt - now).TotalSeconds);
        var scope = string.Join(' ', token.Scopes);
        return new NangoOAuth2Credentials("OAUTH2", token.AccessToken, NangoFormats.Iso(token.ExpiresAt), new NangoRawToken(token.AccessToken, expiresIn, scope, "Bearer"));
    }

    /// <summary>A connection whose grant is dead shows an active auth error, as Nango lists a failed refresh.</summary>
    private static IReadOnlyList<NangoActiveError> ErrorsOf(ConnectionView view) =>
        view.Status == ConnectionStatus.NeedsReauth ? AuthError : NoErrors;

    private static NangoEndUser EndUserOf(ConnectionView view) => new(view.EndUserId, DisplayName: null, Email: null, Tags: null, Organization: null);

    private static JsonElement? MetadataOf(ConnectionView view) =>
        view.MetadataJson is null ? null : JsonDocument.Parse(view.MetadataJson).RootElement.Clone();
}
