namespace CalendarGrains.Calls;

/// <summary>
/// One grain per (tenant, <c>Idempotency-Key</c>), keyed by <see cref="IdempotencyKeys.GrainKey"/>:
/// the single place that decides which call a key means, so any number of concurrent requests
/// with one key create one call.
/// </summary>
[Alias("cg.ICallIdempotencyGrain")]
public interface ICallIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// The call this key means: created now from <paramref name="definition"/> under
    /// <paramref name="candidateCallId"/>, or the one created before when <paramref name="requestHash"/>
    /// matches; <see cref="CallCreationOutcome.IdempotencyConflict"/> when the key was used with another body.
    /// </summary>
    Task<CallCreation> CreateOnceAsync(string requestHash, string candidateCallId, CallDefinition definition);
}

public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";

    public const int MaxLength = 255;

    /// <summary>The key is the client's text: hashed, so any printable key makes a short, safe grain key.</summary>
    public static string GrainKey(string tenantId, string idempotencyKey) =>
        $"{tenantId}/{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(idempotencyKey)))}";

    /// <summary>Printable ASCII, 1 to <see cref="MaxLength"/> characters.</summary>
    public static bool IsValid(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxLength && key.All(c => c is >= ' ' and <= '~');
}
