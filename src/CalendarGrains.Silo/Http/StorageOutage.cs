using Orleans.Persistence.Redis;
using StackExchange.Redis;

namespace CalendarGrains.Silo.Http;

/// <summary>
/// Storage (Redis) could not be reached: the connection is down or an operation timed out. Orleans
/// wraps it (<c>OrleansException</c> → the provider's exception → StackExchange.Redis's), so the
/// whole chain is searched. The caller is told to retry (503), as when a silo cannot answer.
/// </summary>
public static class StorageOutage
{
    public const string Code = "storage_unavailable";

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is RedisConnectionException or RedisTimeoutException || e is RedisStorageException && NamesAnOutage(e.Message))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Any(Is))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Note: Orleans' Redis storage provider keeps only the type and message of the exception it
    /// caught ("... {type}: {message}", no inner exception), so the type is found in the text.
    /// </summary>
    private static bool NamesAnOutage(string message) =>
        message.Contains(typeof(RedisConnectionException).FullName!, StringComparison.Ordinal)
        || message.Contains(typeof(RedisTimeoutException).FullName!, StringComparison.Ordinal);
}
