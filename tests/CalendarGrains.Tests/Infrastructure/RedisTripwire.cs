using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CalendarGrains.Tests.Infrastructure;

/// <summary>
/// A TCP proxy between one silo process and redis-server that forwards everything until the silo
/// sends a command holding an armed byte pattern (a Redis key, say), then holds that command and
/// everything after it from that silo. The test kills the silo there: what the silo wrote before
/// is in Redis, the tripped command and the rest never are. The exact point "after the state
/// write, before the index write" a real crash can hit, reached without any hook in the product.
/// </summary>
public sealed class RedisTripwire : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _redisHost;
    private readonly int _redisPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TcpClient> _sockets = [];
    private readonly TaskCompletionSource _tripped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _pattern;
    private volatile bool _holding;

    private RedisTripwire(string redisConnectionString)
    {
        var endpoint = redisConnectionString.Split(',')[0];
        var colon = endpoint.LastIndexOf(':');
        (_redisHost, _redisPort) = (endpoint[..colon], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The connection string the silo should use: this proxy.</summary>
    public string ConnectionString => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Completes when the armed pattern went by (and was held).</summary>
    public Task Tripped => _tripped.Task;

    public bool HasTripped => _tripped.Task.IsCompleted;

    public static RedisTripwire Start(string redisConnectionString)
    {
        var tripwire = new RedisTripwire(redisConnectionString);
        tripwire._listener.Start();
        _ = tripwire.AcceptAsync();
        return tripwire;
    }

    /// <summary>From now on, a command holding <paramref name="pattern"/> trips the wire.</summary>
    public void Arm(string pattern) => Volatile.Write(ref _pattern, Encoding.UTF8.GetBytes(pattern));

    public void Disarm() => Volatile.Write(ref _pattern, null);

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var silo = await _listener.AcceptTcpClientAsync(_stop.Token);
                var redis = new TcpClient();
                await redis.ConnectAsync(_redisHost, _redisPort, _stop.Token);
                lock (_sockets)
                {
                    _sockets.Add(silo);
                    _sockets.Add(redis);
                }

                _ = PumpAsync(silo, redis, inspect: true);
                _ = PumpAsync(redis, silo, inspect: false);
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to, bool inspect)
    {
        var buffer = new byte[64 * 1024];
        var carry = Array.Empty<byte>(); // the tail of the previous read: a pattern may straddle two reads
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            while (true)
            {
                var read = await source.ReadAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    break;
                }

                if (inspect)
                {
                    var pattern = Volatile.Read(ref _pattern);
                    if (!_holding && pattern is not null && Contains([.. carry, .. buffer.AsSpan(0, read)], pattern))
                    {
                        _holding = true;
                        _tripped.TrySetResult();
                    }

                    if (_holding)
                    {
                        continue; // Held: read and dropped, never reaches Redis.
                    }

                    carry = pattern is null ? [] : buffer.AsSpan(Math.Max(0, read - pattern.Length + 1), Math.Min(read, pattern.Length - 1)).ToArray();
                }

                await target.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception)
        {
            // A side went away (the silo was killed, or the test ended): close both.
        }
        finally
        {
            from.Close();
            to.Close();
        }
    }

    private static bool Contains(ReadOnlySpan<byte> haystack, byte[] needle) => haystack.IndexOf(needle) >= 0;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets)
            {
                socket.Close();
            }
        }

        _stop.Dispose();
    }
}
