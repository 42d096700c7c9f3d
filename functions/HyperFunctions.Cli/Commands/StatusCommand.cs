using System.CommandLine;
using System.Globalization;
using HyperFunctions.Cli.Api;

namespace HyperFunctions.Cli.Commands;

/// <summary>
/// <c>hf status</c>: GET /api/status (function key, or the admin key) and a short summary: the safety mode, reason,
/// message and version, the order gate, storage, and the execution section with the last kill switch. The API
/// answers from the memory of the process that serves the request.
/// </summary>
public sealed class StatusCommand : Command
{
    internal const string Route = "api/status";

    private readonly CliContext _context;
    private readonly ApiOptions _api = new();

    public StatusCommand(CliContext context)
        : base("status", "Show the safety mode, reason and version, storage and execution as GET /api/status reports them.")
    {
        _context = context;
        _api.AddTo(this);
        SetAction(ExecuteAsync);
    }

    private async Task<int> ExecuteAsync(ParseResult parseResult, CancellationToken ct)
    {
        var baseUrl = _api.BaseUrl(parseResult, _context);
        var key = ApiKeys.Reader(_context);
        using var client = new OpsApiClient(baseUrl, key, _api.TimeoutOf(parseResult));
        var answer = await client.SendAsync(HttpMethod.Get, Route, null, null, "The API answers status from memory within a second; is the app up?", ct);
        if (!answer.IsSuccess) throw answer.Failure();
        var status = answer.Read(CliJsonContext.Default.StatusAnswer);
        if (status.Safety is null) throw new ApiCallException($"{answer.Request} answered without a safety section: is --url the function app?");

        if (parseResult.GetValue(_api.Json)) _context.Out.WriteLine(answer.Body);
        else Print(status, _context.Out);
        return ExitCodes.Success;
    }

    private static void Print(StatusAnswer status, TextWriter output)
    {
        output.WriteLine($"instance {Printable.Text(status.InstanceId, 80)} ({Printable.Text(status.HostingMode, 40)}), config {Printable.Text(status.ConfigHash, 80)}");

        var safety = status.Safety!;
        var version = safety.Version is { } v ? $"ledger v{v.ToString(CultureInfo.InvariantCulture)}" : "no ledger version";
        output.WriteLine($"safety: {Printable.Text(safety.Mode, 40)} {Printable.Text(safety.Reason, 60)} since {HaltCommand.Time(safety.Since)} ({version}, by {Printable.OrDash(safety.Actor, 80)})");
        output.WriteLine($"  message: {Printable.Text(safety.Message)}");
        if (safety.OrderGate is { } gate)
            output.WriteLine($"  order gate: new orders {Admit(gate.NewOrders)}, reduce-only {Admit(gate.ReduceOnlyOrders)}, cancels {Admit(gate.Cancels)}");
        foreach (var c in safety.Conditions ?? [])
            output.WriteLine($"  condition: {Printable.Text(c.Reason, 60)} ({Printable.Text(c.Level, 40)}) since {HaltCommand.Time(c.RaisedAt)}");
        if (safety.LocalHold is { } hold)
            output.WriteLine($"  LOCAL HOLD: {Printable.Text(hold.Reason, 60)} since {HaltCommand.Time(hold.Since)}: {Printable.Text(hold.Message)}");

        if (status.Storage is { } storage)
            output.WriteLine(storage.Usable ? "storage: usable" : $"storage: NOT usable since {(storage.UnusableSince is { } at ? HaltCommand.Time(at) : "?")}: {Printable.Text(storage.Problem)}");

        if (status.Execution is not { } execution) return;
        output.WriteLine(
            $"execution: mode {Printable.Text(execution.Mode, 40)}, adapter {Printable.Text(execution.Adapter, 40)}{(execution.AdapterImplemented ? "" : " (NOT implemented)")}, " +
            $"in flight {execution.InFlight}, unknown {execution.UnknownCount}, queue depth {Count(execution.QueueDepth)}, " +
            $"open UNKNOWN {Count(execution.UnknownOpen)}, open SENDING {Count(execution.SendingOpen)}, retry budget exceeded {Count(execution.RetryBudgetExceededOpen)}");
        if (execution.LastKillSwitch is { } kill)
        {
            var cancel = kill.Cancel is { } c ? $"{c.Cancelled} of {c.Found} open orders cancelled{(c.Failure is null ? "" : $" (cancel-all failed: {Printable.Text(c.Failure, 200)})")}" : "no cancel";
            var schedule = kill.ScheduleCancel is { Armed: true } s ? $"scheduleCancel armed for {(s.Time is { } at ? HaltCommand.Time(at) : "?")}" : "scheduleCancel NOT armed";
            output.WriteLine($"  last kill switch (this process): {Printable.Text(kill.Outcome, 40)} at {HaltCommand.Time(kill.At)} by {Printable.Text(kill.Actor, 80)}: {cancel}; {schedule}; {kill.DurationMs.ToString(CultureInfo.InvariantCulture)} ms");
        }
    }

    private static string Admit(bool admitted) => admitted ? "allowed" : "refused";

    private static string Count(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "?";
}
