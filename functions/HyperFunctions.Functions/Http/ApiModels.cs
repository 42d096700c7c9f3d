using System.Text.Json.Serialization;
using HyperFunctions.Domain.Safety;
using HyperFunctions.Storage.Ledger;

namespace HyperFunctions.Functions.Http;

public sealed record StatusResponse(string InstanceId, string HostingMode, string ConfigHash, SafetyView Safety, StorageView Storage);

/// <summary>The effective safety state; <see cref="LocalHold"/> is set when this process holds HALT on its own.</summary>
public sealed record SafetyView(
    string Mode, string Reason, string Message, DateTimeOffset Since, string? Actor, long? Version, string? ConfigHash,
    ConditionView[] Conditions, HoldView? LocalHold, GateView OrderGate)
{
    public static SafetyView From(EffectiveSafety e)
    {
        var gate = new GateView(
            Domain.Safety.OrderGate.Evaluate(e.Mode, new GateRequest(OrderAction.Place, false)).Admitted,
            Domain.Safety.OrderGate.Evaluate(e.Mode, new GateRequest(OrderAction.Place, true)).Admitted,
            Domain.Safety.OrderGate.Evaluate(e.Mode, new GateRequest(OrderAction.Cancel, false)).Admitted);
        return new SafetyView(
            e.Mode.ToWire(), e.Reason.ToWire(), e.Message, e.Since, e.Ledger?.Actor, e.Ledger?.Version, e.Ledger?.ConfigHash,
            e.Ledger?.Conditions.Select(c => new ConditionView(c.Reason.ToWire(), c.Level.ToWire(), c.RaisedAt)).ToArray() ?? [],
            e.Hold is { } h ? new HoldView(h.Reason.ToWire(), h.Since, h.Message) : null,
            gate);
    }
}

public sealed record ConditionView(string Reason, string Level, DateTimeOffset RaisedAt);

public sealed record HoldView(string Reason, DateTimeOffset Since, string Message);

/// <summary>What the order gate would admit right now.</summary>
public sealed record GateView(bool NewOrders, bool ReduceOnlyOrders, bool Cancels);

public sealed record StorageView(bool Usable, DateTimeOffset UsableSince);

public sealed record TransitionView(long Version, string? From, string To, string Reason, string Message, string Actor, DateTimeOffset At, string ConfigHash, string Kind)
{
    public static TransitionView Of(SafetyTransition t) =>
        new(t.Version, t.From?.ToWire(), t.To.ToWire(), t.Reason.ToWire(), t.Message, t.Actor, t.At, t.ConfigHash, t.Kind);
}

public sealed record HistoryResponse(TransitionView[] Items, long? NextBefore);

/// <summary>Answer to a state-changing command: "applied" with the new row, or "unchanged" with why.</summary>
public sealed record CommandResponse(string Result, string Mode, string Reason, long Version, string? Detail, TransitionView? Transition);

public sealed record HealthResponse(string Status, string HostingMode);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(HistoryResponse))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(HealthResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
