using System.Net;
using System.Net.Sockets;
using System.Text;
using CalendarGrains.Silo.Calls;
using CalendarGrains.Vapi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CalendarGrains.Tests.Calls;

/// <summary>
/// A Vapi request is bounded as a whole, the body included (<c>Calls:ReadTimeout</c>,
/// <c>Calls:DispatchTimeout</c>): the grains wait on it with no cancellation of their own, so a
/// server that sends its headers and then stalls must not hold a grain turn for ever. The resilience
/// handler's timeouts end with the headers; the named client's own timeout (set where it is
/// registered, no timer in the calling code) covers the rest.
/// </summary>
public sealed class VapiTimeoutTests
{
    [Fact]
    public async Task GetCall_WhenTheBodyStalls_IsATimeoutWithinCallsReadTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var stalling = StallAfterHeadersAsync(listener, stop.Token);
        await using var services = Services(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), readTimeout: "00:00:01");
        var vapi = services.GetRequiredService<VapiClient>();

        // The deadline is the test's guard against hanging, far above the 1 s under test.
        var result = await vapi.GetCallAsync("key", "call-1", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(new VapiUnavailable(VapiErrorKinds.Timeout), result);
        await stop.CancelAsync();
        await stalling;
    }

    [Fact]
    public async Task CreateCall_WhenTheBodyStalls_IsAnAmbiguousTimeoutWithinCallsDispatchTimeout()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var stalling = StallAfterHeadersAsync(listener, stop.Token);
        await using var services = Services(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), dispatchTimeout: "00:00:01");
        var vapi = services.GetRequiredService<VapiClient>();

        var result = await vapi.CreateCallAsync("key", [], CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(new VapiCallAmbiguous(VapiErrorKinds.Timeout), result);
        await stop.CancelAsync();
        await stalling;
    }

    private static ServiceProvider Services(Uri vapi, string readTimeout = "00:00:15", string dispatchTimeout = "00:00:15")
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calls:ReadTimeout"] = readTimeout,
            ["Calls:DispatchTimeout"] = dispatchTimeout,
        }).Build());
        services.AddLogging();
        services.AddMetrics();
        services.AddCallServices();
        services.Replace(ServiceDescriptor.Singleton<IVapiEndpoints>(new FixedVapiEndpoints(vapi)));
        return services.BuildServiceProvider();
    }

    /// <summary>Answers every request with a 200 whose body never comes, until stopped.</summary>
    private static async Task StallAfterHeadersAsync(TcpListener listener, CancellationToken stop)
    {
        var open = new List<TcpClient>();
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stop);
                open.Add(client);
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var request = new StringBuilder();
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, stop);
                    if (read == 0)
                    {
                        break;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                var head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), stop);
                await stream.FlushAsync(stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            open.ForEach(client => client.Dispose());
        }
    }

    private sealed record FixedVapiEndpoints(Uri BaseUrl) : IVapiEndpoints;
}
