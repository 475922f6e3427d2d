using System.Reflection;
using CalendarGrains.Connections;
using CalendarGrains.Silo.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace CalendarGrains.Tests.Hosting;

/// <summary>A call whose silo left is sent again only when the method is safe to repeat, and only twice.</summary>
public sealed class ResendOnSiloLossFilterTests
{
    private static readonly ResendOnSiloLossFilter Filter = new(NullLogger<ResendOnSiloLossFilter>.Instance);

    [Fact]
    public async Task Invoke_SafeMethodWhoseSiloLeft_IsSentAgainAndSucceeds()
    {
        var call = new ScriptedCall(Method(nameof(IConnectionGrain.GetAccessTokenAsync)), new SiloUnavailableException("gone"), null);

        await Filter.Invoke(call);

        Assert.Equal(2, call.Sends);
    }

    [Fact]
    public async Task Invoke_MethodThatChangesThings_IsNotSentAgain()
    {
        var call = new ScriptedCall(Method(nameof(IConnectionGrain.DeleteAsync)), new SiloUnavailableException("gone"), null);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => Filter.Invoke(call));

        Assert.Equal(1, call.Sends);
    }

    [Fact]
    public async Task Invoke_SiloKeepsFailing_GivesUpAfterTwoResends()
    {
        var call = new ScriptedCall(Method(nameof(IConnectionGrain.GetAsync)), new SiloUnavailableException("1"), new SiloUnavailableException("2"), new SiloUnavailableException("3"), null);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => Filter.Invoke(call));

        Assert.Equal(3, call.Sends);
    }

    [Fact]
    public async Task Invoke_OtherFailure_IsNotSentAgain()
    {
        var call = new ScriptedCall(Method(nameof(IConnectionGrain.GetAsync)), new InvalidOperationException("a bug"), null);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Filter.Invoke(call));

        Assert.Equal(1, call.Sends);
    }

    private static MethodInfo Method(string name) => typeof(IConnectionGrain).GetMethod(name)!;

    /// <summary>Each send answers the next scripted outcome: an exception, or null for success.</summary>
    private sealed class ScriptedCall(MethodInfo method, params Exception?[] outcomes) : IOutgoingGrainCallContext
    {
        public int Sends { get; private set; }

        public MethodInfo InterfaceMethod => method;
        public string InterfaceName => typeof(IConnectionGrain).FullName!;
        public string MethodName => method.Name;

        public async Task Invoke()
        {
            var outcome = outcomes[Sends++];
            await Task.Yield();
            if (outcome is not null)
            {
                throw outcome;
            }
        }

        public object Grain => this;
        public IInvokable Request => throw new NotSupportedException();
        public object? Result { get; set; }
        public Response? Response { get; set; }
        public GrainId? SourceId => null;
        public IGrainContext? SourceContext => null;
        public GrainId TargetId => default;
        public GrainInterfaceType InterfaceType => default;
    }
}
