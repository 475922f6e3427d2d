using System.Text.Json;
using CalendarGrains.Sandbox.Vapi.Calls;
using CalendarGrains.Sandbox.Vapi.Wire;

namespace CalendarGrains.Sandbox.Vapi.Webhooks;

/// <summary>Builds the server messages of a call, serialized at the moment they happen.</summary>
internal static class ServerMessageFactory
{
    public const string StatusUpdate = "status-update";
    public const string EndOfCallReport = "end-of-call-report";

    public static byte[] StatusUpdateBody(EmulatedCall call, DateTimeOffset at) => Serialize(new StatusUpdateMessage
    {
        Status = call.Status,
        EndedReason = call.IsEnded ? call.EndedReason : null,
        Timestamp = at.ToUnixTimeMilliseconds(),
        Call = call.ToWire(),
        Customer = call.Request.Customer,
        Assistant = call.Request.Assistant,
    });

    public static byte[] EndOfCallReportBody(EmulatedCall call, DateTimeOffset at)
    {
        var report = call.Report ?? throw new InvalidOperationException("A call has a report only once it has ended.");
        return Serialize(new EndOfCallReportMessage
        {
            EndedReason = call.EndedReason!,
            StartedAt = call.StartedAt,
            EndedAt = call.EndedAt,
            Cost = report.Cost,
            Artifact = report.Artifact,
            Analysis = report.Analysis,
            Timestamp = at.ToUnixTimeMilliseconds(),
            Call = call.ToWire(),
            Customer = call.Request.Customer,
            Assistant = call.Request.Assistant,
        });
    }

    private static byte[] Serialize(object message) =>
        JsonSerializer.SerializeToUtf8Bytes(new ServerMessageEnvelope(message), VapiJson.Options);
}
