using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace CalendarGrains.Common;

/// <summary>
/// The <c>Grains:*</c> settings. <see cref="OperationBudget"/> is the one deadline of a grain
/// operation's outside work (Google, Vapi, their retries included): a caller always hears the
/// outcome before Orleans gives up on the call (<c>Orleans:Messaging:ResponseTimeout</c>), and a
/// non-reentrant grain never keeps its other callers waiting longer than that.
/// </summary>
public sealed class GrainOptions
{
    public const string Section = "Grains";

    public TimeSpan OperationBudget { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>A token cancelled when the budget is spent or when <paramref name="caller"/> is.</summary>
    public CancellationTokenSource StartOperation(CancellationToken caller = default)
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(caller);
        budget.CancelAfter(OperationBudget);
        return budget;
    }
}

/// <summary>The budget must fit in Orleans' response timeout, and each bounded Vapi request in the budget.</summary>
public sealed class GrainOptionsValidator(IOptions<SiloMessagingOptions> messaging, IOptions<Calls.CallOptions> calls) : IValidateOptions<GrainOptions>
{
    public ValidateOptionsResult Validate(string? name, GrainOptions options)
    {
        var responseTimeout = messaging.Value.ResponseTimeout;
        if (options.OperationBudget <= TimeSpan.Zero || options.OperationBudget >= responseTimeout)
        {
            return ValidateOptionsResult.Fail(
                $"{GrainOptions.Section}:OperationBudget ({options.OperationBudget}) must be positive and below Orleans:Messaging:ResponseTimeout ({responseTimeout}).");
        }

        var call = calls.Value;
        if (call.DispatchTimeout > options.OperationBudget || call.ReadTimeout > options.OperationBudget)
        {
            return ValidateOptionsResult.Fail(
                $"{Calls.CallOptions.Section}:DispatchTimeout ({call.DispatchTimeout}) and {Calls.CallOptions.Section}:ReadTimeout ({call.ReadTimeout}) must fit in {GrainOptions.Section}:OperationBudget ({options.OperationBudget}).");
        }

        return ValidateOptionsResult.Success;
    }
}
