using CalendarGrains.Common;
using Microsoft.Extensions.Options;

namespace CalendarGrains.Silo.Auth;

/// <summary>Checks a presented key against the admin key in constant time (only its hash is kept).</summary>
public sealed class AdminKey(IOptions<AdminOptions> options)
{
    private readonly string _hash = SecretHash.Of(options.Value.ApiKey ?? throw new InvalidOperationException("Admin:ApiKey is not set."));

    public bool Matches(string presented) => SecretHash.Matches(presented, _hash);
}
