using CalendarGrains.Common;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Auth;

/// <summary>Checks a presented key against the admin key in constant time (only its hash is kept).</summary>
public sealed class AdminKey(IOptions<AdminOptions> options)
{
    private readonly string _hash = SecretHash.Of(options.Value.ApiKey ?? throw new InvalidOperationException("Admin:ApiKey is not set."));

    public bool Matches(string presented) => SecretHash.Matches(presented, _hash);

    /// <summary>
    /// Changes when the admin key does: a console session signed in with the admin key carries it,
    /// so a new key ends the old sessions. Derived from the hash: neither the key nor its hash.
    /// </summary>
    public string SessionStamp => SecretHash.Of("console-session/" + _hash)[..32];
}
