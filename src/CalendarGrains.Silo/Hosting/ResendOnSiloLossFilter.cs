using System.Reflection;
using CalendarGrains.GrainCalls;
using Orleans.Concurrency;

namespace CalendarGrains.Silo.Hosting;

/// <summary>
/// Sends a call again, at most twice, when the silo holding its grain left before answering
/// (<see cref="SiloUnavailableException"/>) or turned the message away while leaving
/// (<see cref="OrleansMessageRejectionException"/>), but only for methods that are safe to repeat.
/// </summary>
/// <remarks>
/// Why: while a silo drains or dies, a call already addressed to it fails although the grain will
/// live again on another silo a moment later. For an idempotent read the caller would only retry
/// itself; doing it here keeps a graceful drain invisible to API clients. Orleans supports calling
/// <see cref="IGrainCallContext.Invoke"/> again from an outgoing filter (dotnet/orleans#6414).
/// </remarks>
public sealed partial class ResendOnSiloLossFilter(ILogger<ResendOnSiloLossFilter> logger) : IOutgoingGrainCallFilter
{
    private static readonly TimeSpan[] Pauses = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250)];

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        // Note: every grain call of the process passes here, the token hot path included; a call
        // that is answered at once costs no state machine.
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? Task.CompletedTask : AwaitWithResendAsync(call, context);
    }

    private async Task AwaitWithResendAsync(Task call, IOutgoingGrainCallContext context)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await (attempt == 0 ? call : context.Invoke());
                return;
            }
            catch (Exception failure) when (IsSiloLoss(failure) && attempt < Pauses.Length && IsSafeToResend(context.InterfaceMethod))
            {
                // Note: the kind only; an Orleans message text names the grain and the call.
                var kind = failure is SiloUnavailableException ? nameof(SiloUnavailableException) : nameof(OrleansMessageRejectionException);
                LogResending(logger, context.InterfaceName, context.MethodName, kind, attempt + 1);

                // Note: wall-clock time on purpose: this waits for the cluster, not for product time.
                await Task.Delay(Pauses[attempt]);
            }
        }
    }

    private static bool IsSiloLoss(Exception failure) => failure is SiloUnavailableException or OrleansMessageRejectionException;

    private static bool IsSafeToResend(MethodInfo? method) =>
        method is not null && (method.IsDefined(typeof(SafeToResendAttribute), inherit: true) || method.IsDefined(typeof(ReadOnlyAttribute), inherit: true));

    [LoggerMessage(EventId = 31, EventName = "ResendingAfterSiloLoss", Level = LogLevel.Information,
        Message = "Sending {Interface}.{Method} again after {Failure} (attempt {Attempt}): its silo left before answering")]
    private static partial void LogResending(ILogger logger, string @interface, string method, string failure, int attempt);
}
