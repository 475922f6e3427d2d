namespace CalendarGrains.Connections;

/// <summary>
/// The connection grain's own way into a serialised turn: <see cref="IConnectionGrain.GetAccessTokenAsync"/>
/// interleaves and only reads, so when the cached token will not do it calls this (on itself), and
/// Orleans runs the refresh one at a time with every other change. Callers that queue behind a
/// refresh find the fresh token when their turn comes: one refresh, however many ask.
/// </summary>
/// <remarks>Internal to the grain; nothing else calls it.</remarks>
[Alias("cg.IConnectionTokenRefresh")]
public interface IConnectionTokenRefresh : IGrainWithStringKey
{
    /// <param name="request">What the caller asked for.</param>
    /// <param name="refreshesSeen">How many refreshes had finished when the caller asked: one finishing after that is the caller's answer too.</param>
    Task<TokenAnswer> RefreshTokenAsync(TokenRequest request, long refreshesSeen);
}

/// <summary>A token result and the outcome it counts as in the token-request metric.</summary>
[GenerateSerializer, Immutable, Alias("cg.TokenAnswer")]
public sealed record TokenAnswer(
    [property: Id(0)] TokenResult Result,
    [property: Id(1)] string Outcome);
