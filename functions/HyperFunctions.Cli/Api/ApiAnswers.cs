using System.Text.Json.Serialization;

namespace HyperFunctions.Cli.Api;

// The parts of the ops API's answers that hf reads (functions/HyperFunctions.Functions/Http/*Views.cs, ApiModels.cs).
// Members hf does not read are ignored; --json prints the answer as received, whatever it holds.

/// <summary>RFC 9457 problem details as the API sends them; <see cref="Errors"/> names each bad field of a 400.</summary>
internal sealed record ProblemAnswer(string? Title, string? Detail, int? Status, Dictionary<string, string[]>? Errors, string? Code);

/// <summary>A safety command's answer (promote, halt): the ledger's part and, for a halt with cancelAll, the kill switch.</summary>
internal sealed record CommandAnswer(string? Result, string? Mode, string? Reason, long? Version, string? Detail, TransitionAnswer? Transition, KillSwitchAnswer? KillSwitch);

internal sealed record TransitionAnswer(long Version, string? From, string? To, string? Reason, string? Message, string? Actor, DateTimeOffset At);

internal sealed record KillSwitchAnswer(DateTimeOffset At, string? Actor, string? Outcome, CancelAllAnswer? Cancel, ScheduleCancelAnswer? ScheduleCancel, long DurationMs);

internal sealed record CancelAllAnswer(bool Complete, int Found, int Cancelled, string? Failure, long DurationMs, CancelledOrderAnswer[]? Orders);

internal sealed record CancelledOrderAnswer(string? Coin, long Oid, string? Cloid, bool Cancelled, string? Error);

internal sealed record ScheduleCancelAnswer(bool Armed, DateTimeOffset? Time, long? TimeMs, string? Error);

/// <summary>GET /api/status: the sections hf status prints.</summary>
internal sealed record StatusAnswer(string? InstanceId, string? HostingMode, string? ConfigHash, SafetyAnswer? Safety, StorageAnswer? Storage, ExecutionAnswer? Execution);

internal sealed record SafetyAnswer(
    string? Mode, string? Reason, string? Message, DateTimeOffset Since, string? Actor, long? Version, ConditionAnswer[]? Conditions, HoldAnswer? LocalHold, GateAnswer? OrderGate);

internal sealed record ConditionAnswer(string? Reason, string? Level, DateTimeOffset RaisedAt);

internal sealed record HoldAnswer(string? Reason, DateTimeOffset Since, string? Message);

internal sealed record GateAnswer(bool NewOrders, bool ReduceOnlyOrders, bool Cancels);

internal sealed record StorageAnswer(bool Usable, DateTimeOffset? UnusableSince, string? Problem);

internal sealed record ExecutionAnswer(
    string? Mode, string? Adapter, bool AdapterImplemented, int InFlight, long UnknownCount, long? QueueDepth, int? UnknownOpen, int? SendingOpen,
    int? RetryBudgetExceededOpen, KillSwitchAnswer? LastKillSwitch);

[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ProblemAnswer))]
[JsonSerializable(typeof(CommandAnswer))]
[JsonSerializable(typeof(StatusAnswer))]
[JsonSerializable(typeof(HaltRequest))]
[JsonSerializable(typeof(PromoteRequest))]
[JsonSerializable(typeof(CancelRequest))]
[JsonSerializable(typeof(CancelAnswer))]
internal sealed partial class CliJsonContext : JsonSerializerContext;

/// <summary>The body of POST /api/safety/halt (see HaltSafety: reasonCode?, message, cancelAll?).</summary>
internal sealed record HaltRequest(string Message, bool CancelAll);

/// <summary>The body of POST /api/safety/promote (see PromoteSafety: reason).</summary>
internal sealed record PromoteRequest(string Reason);

/// <summary>The body of POST /api/orders/{cloid}/cancel (see CancelOrder: reason).</summary>
internal sealed record CancelRequest(string Reason);

/// <summary>The answer of a cancel that cancelled (CancelOrderResponse): result, the intent's status now, the venue's status.</summary>
internal sealed record CancelAnswer(string? Result, string? Cloid, string? Status, string? VenueStatus, string? Message, long DurationMs);
